"""A static bilingual (Chinese/English) reference site generator for Chinese policy documents
that divide work among government agencies. build.py runs pipeline.build()."""
