"""The judged query table: what readers type, in which edition, and the results that must appear
in the top five (paths under the edition's folder).

Written by readers of the documents (helpers who read the Chinese source, the translation, the
glossary, the registries and the lineage files, and never looked at the index or the search code),
then reviewed. It runs against the shipped library in Python (test_search.py) and in Chromium
(test_browser.py); benchmarks/judged.py prints the share of queries whose must-haves all appear in the
top five.
"""

# Judged search queries for the Chinese edition (zh), about
# documents/shanxi-2012-energy-saving-division (山西省“十二五”节能减排部门分工).
# Must-haves decided by reading the source text, glossary.toml, agencies.toml and lineage.toml.
D = "documents/shanxi-2012-energy-saving-division/"
SEC = D + "sections/"
G = "glossary/#"
DEP = "departments/shanxi/"

SHANXI_ZH = [
    # --- Chinese words / phrases from the text (10) ---
    ("zh", "脱硫", [D + "tasks/67/", G + "tuo-liu"],
     "task 67 is the desulfurization task (power plants, steel sinter, coke-oven gas 精脱硫); 脱硫 is a glossary term"),
    ("zh", "黄标车", [D + "tasks/69/", G + "huang-biao-che"],
     "task 69 is the only task naming 黄标车 (phase out pre-2005 yellow-label vehicles by 2015); glossary term"),
    ("zh", "合同能源管理", [SEC + "da-li-tui-xing-he-tong-neng-yuan-guan-li-jie-neng-xin-ji-zhi/", G + "he-tong-neng-yuan-guan-li"],
     "section （四十六） is titled 大力推行合同能源管理节能新机制 (tasks 130-134); glossary term"),
    ("zh", "秸秆能源化利用", [D + "tasks/33/", G + "jie-gan-neng-yuan-hua-li-yong"],
     "the phrase occurs only in task 33 (沼气工程和秸秆能源化利用); glossary term"),
    ("zh", "淘汰落后产能", [SEC + "jia-da-luo-hou-chan-neng-tao-tai-li-du/", G + "tao-tai-luo-hou-chan-neng"],
     "section （五） 加大落后产能淘汰力度 (tasks 19-24) is about it; glossary term 淘汰落后产能"),
    ("zh", "150亿立方米", [D + "tasks/31/"],
     "figure appears only in task 31: 到2015年全省“四气”供气总量达到150亿立方米"),
    ("zh", "85%", [D + "tasks/59/"],
     "target percentage appears only in task 59: 85%以上的县（市）环境空气质量达到二级标准"),
    ("zh", "排污许可证", [SEC + "yan-ge-qi-ye-pai-wu-xu-ke-guan-li/", D + "tasks/105/", G + "pai-wu-xu-ke-zheng"],
     "section （三十六） 严格企业排污许可管理 whose only task 105 is about 排污许可证; glossary term"),
    ("zh", "一票否决", [D + "tasks/12/", G + "yi-piao-fou-jue"],
     "task 12 (问责制和“一票否决”制) is the only task with it; glossary term"),
    ("zh", "甩挂运输", [D + "tasks/47/", G + "shuai-gua-yun-shu"],
     "task 47 (发展甩挂运输、多式联运) is the only task with it; glossary term"),

    # --- agency names (5) ---
    ("zh", "省环保厅", [DEP + "sheng-huan-bao-ting/"],
     "short name as written in the clauses (61 tasks); its department page"),
    ("zh", "经信委", [DEP + "sheng-jing-xin-wei/"],
     "shortening of 省经信委 (山西省经济和信息化委员会); only Shanxi has an 经信委"),
    ("zh", "发改委", [DEP + "sheng-fa-zhan-gai-ge-wei/"],
     "common nickname of 省发展改革委, the agency with the most tasks in the document"),
    ("zh", "山西省质量技术监督局", [DEP + "sheng-zhi-jian-ju/"],
     "full official name of 省质监局 in agencies.toml"),
    ("zh", "山西省生态环境厅", [DEP + "sheng-huan-bao-ting/"],
     "today's name: lineage.toml records 省环保厅 renamed 山西省生态环境厅 in 2018"),

    # --- pinyin (6) ---
    ("zh", "tuoliu", [D + "tasks/67/", G + "tuo-liu"],
     "pinyin of 脱硫: task 67 is the desulfurization task; glossary term"),
    ("zh", "huang biao che", [D + "tasks/69/", G + "huang-biao-che"],
     "spaced pinyin of 黄标车: task 69; glossary term"),
    ("zh", "hbt", [DEP + "sheng-huan-bao-ting/"],
     "initials of 环保厅 (省环保厅)"),
    ("zh", "huanbaoting", [DEP + "sheng-huan-bao-ting/"],
     "pinyin of 环保厅 (省环保厅)"),
    ("zh", "hetongnengyuanguanli", [SEC + "da-li-tui-xing-he-tong-neng-yuan-guan-li-jie-neng-xin-ji-zhi/", G + "he-tong-neng-yuan-guan-li"],
     "pinyin of 合同能源管理: section （四十六） titled with it; glossary term"),
    ("zh", "lvse jianzhu", [D + "tasks/40/", G + "lv-se-jian-zhu"],
     "pinyin of 绿色建筑: task 40 (绿色建筑行动方案、示范项目) is the only task with it; glossary term"),

    # --- traditional characters (4) ---
    ("zh", "脫硫", [D + "tasks/67/", G + "tuo-liu"],
     "traditional form of 脱硫: same as the simplified query (task 67, glossary)"),
    ("zh", "黃標車", [D + "tasks/69/", G + "huang-biao-che"],
     "traditional form of 黄标车: same as the simplified query (task 69, glossary)"),
    ("zh", "淘汰落後產能", [SEC + "jia-da-luo-hou-chan-neng-tao-tai-li-du/", G + "tao-tai-luo-hou-chan-neng"],
     "traditional form of 淘汰落后产能: section （五） and glossary term"),
    ("zh", "排污許可證", [SEC + "yan-ge-qi-ye-pai-wu-xu-ke-guan-li/", D + "tasks/105/", G + "pai-wu-xu-ke-zheng"],
     "traditional form of 排污许可证: section （三十六）, its task 105, glossary term"),

    # --- task numbers (3) ---
    ("zh", "第67项", [D + "tasks/67/"],
     "task 67; only the Shanxi document has more than 45 tasks"),
    ("zh", "69", [D + "tasks/69/"],
     "bare task number 69; only the Shanxi document has a task 69"),
    ("zh", "第144项", [D + "tasks/144/"],
     "last task of the document (政府机关带头节能减排); no other document has 144 tasks"),

    # --- English typed on the Chinese site (4) ---
    ("zh", "desulfurization", [D + "tasks/67/", G + "tuo-liu"],
     "American spelling of the translation's 'desulphurisation': task 67; glossary 脱硫 (desulphurisation)"),
    ("zh", "yellow-label vehicles", [D + "tasks/69/", G + "huang-biao-che"],
     "translation of 黄标车 in task 69 and the glossary"),
    ("zh", "energy performance contracting", [SEC + "da-li-tui-xing-he-tong-neng-yuan-guan-li-jie-neng-xin-ji-zhi/", G + "he-tong-neng-yuan-guan-li"],
     "translation of 合同能源管理: section （四十六） title 'Vigorously promote energy performance contracting…'; glossary"),
    ("zh", "discharge permit", [SEC + "yan-ge-qi-ye-pai-wu-xu-ke-guan-li/", D + "tasks/105/", G + "pai-wu-xu-ke-zheng"],
     "plain form of 'pollutant discharge permit' (排污许可证): section （三十六）, task 105, glossary"),
]

# Judged search queries for the English edition, Shanxi 2012 energy-saving division of responsibilities.
# Must-haves decided by reading the translation (translations/en/*.toml), the Chinese source,
# glossary.toml, agencies.toml and lineage.toml. Paths are relative to site/en/.
D = "documents/shanxi-2012-energy-saving-division/"
T = D + "tasks/"
S = D + "sections/"
C = D + "chapters/"
DEP = "departments/shanxi/"

SHANXI_EN = [
    # --- English words/phrases as the translation writes them (8)
    ("en", "cement", [T + "67/"],
     "task 67 is the only task on the cement industry (denitrification of cement kilns, Access Conditions for the Cement Industry)"),
    ("en", "heat metering", [T + "42/", T + "43/", T + "118/"],
     "tasks 42 (heat metering devices and charging), 43 (heat metering retrofits of 20 million m2) and 118 (charging by heat metering) are about heat metering"),
    ("en", "energy performance contracting", [S + "da-li-tui-xing-he-tong-neng-yuan-guan-li-jie-neng-xin-ji-zhi/", T + "130/", T + "131/"],
     "section 46 is titled with it; tasks 130 and 131 promote energy performance contracting"),
    ("en", "yellow-label vehicles", [T + "69/"],
     "task 69 phases out yellow-label vehicles registered before 2005"),
    ("en", "Top Runner", [S + "jia-kuai-tui-jin-ling-pao-zhe-neng-xiao-dui-biao-he-ti-sheng-gong-cheng/", T + "129/"],
     "section 45 is the Top Runner programme; task 129 is its only task"),
    ("en", "pollutant discharge permit", [S + "yan-ge-qi-ye-pai-wu-xu-ke-guan-li/", T + "105/"],
     "section 36 is titled with pollutant discharge permit management; task 105 is entirely about the permits"),
    ("en", "drop-and-hook transport", [T + "47/"],
     "task 47 develops drop-and-hook and multimodal transport"),
    ("en", "punitive electricity tariff", [T + "119/"],
     "task 119 applies the punitive electricity tariff"),

    # --- American spelling where the translation is British, and the reverse (5)
    ("en", "desulfurization", [T + "67/", T + "120/"],
     "translation spells desulphurisation; task 67 is flue-gas desulphurisation in power, steel and coking; task 120 is the desulphurisation tariff premium"),
    ("en", "energy-saving products benefiting the people program", [T + "55/"],
     "translation spells programme; task 55 is the programme of Energy-Saving Products Benefiting the People"),
    ("en", "energy metering center", [T + "110/"],
     "translation spells Centre; task 110 builds the National Urban Energy Metering Centre (Shanxi)"),
    ("en", "optimize industrial structure", [C + "tiao-zheng-you-hua-chan-ye-jie-gou/"],
     "translation spells optimise; chapter II is 'Adjust and optimise the industrial structure'"),
    ("en", "party organisation department", [DEP + "sheng-wei-zu-zhi-bu/"],
     "reverse case: the agency name is spelt 'Organization Department of the CPC Shanxi Provincial Committee' (Provincial Party Organization Department)"),

    # --- one-letter typos in a word of 5+ letters (4)
    ("en", "denitrificaton", [T + "67/"],
     "typo for denitrification; task 67 is centrally about flue-gas denitrification of power units, sintering machines and cement kilns"),
    ("en", "remanufacturng", [T + "85/"],
     "typo for remanufacturing; task 85 is on the remanufacturing industry and demonstration enterprises"),
    ("en", "biomas stoves", [T + "37/", T + "38/"],
     "typo for biomass; tasks 37 and 38 are on household biomass stoves"),
    ("en", "sewage treatmnt fees", [T + "122/"],
     "typo for treatment; task 122 is on sewage treatment fees"),

    # --- synonyms and abbreviations readers use (5)
    ("en", "backward production capacity", [S + "jia-da-luo-hou-chan-neng-tao-tai-li-du/", T + "19/", T + "20/"],
     "translation writes 'outdated production capacity'; section 5 is titled with its phase-out, tasks 19 and 20 are the phase-out targets and exit mechanism"),
    ("en", "ESCO", [T + "131/", T + "133/", "glossary/#jie-neng-fu-wu-gong-si"],
     "ESCO = energy service company (glossary 节能服务公司 'energy service companies (ESCOs)'); tasks 131 and 133 are about specialised energy service companies"),
    ("en", "EPD", [DEP + "sheng-huan-bao-ting/"],
     "EPD = environmental protection department = 省环保厅, Shanxi Provincial Department of Environmental Protection"),
    ("en", "EIA", [S + "yan-ge-jie-neng-ping-gu-shen-cha-he-huan-jing-ying-xiang-ping-jia/", T + "99/"],
     "EIA = environmental impact assessment; section 33 is titled with it; task 99 makes emission quotas a precondition for EIA approval"),
    ("en", "SO2", [S + "tui-jin-er-yang-hua-liu-he-dan-yang-hua-wu-jian-pai-gong-cheng-he-yan-chen-gong/", T + "67/"],
     "SO2 = sulphur dioxide; section 20 is titled with sulphur dioxide reduction; task 67 is its task"),

    # --- agency names: short, full, successor (4)
    ("en", "Provincial Price Bureau", [DEP + "sheng-wu-jia-ju/"],
     "English short name of 省物价局"),
    ("en", "Shanxi Provincial Economic and Information Technology Commission", [DEP + "sheng-jing-xin-wei/"],
     "full English name of 省经信委"),
    ("en", "Department of Ecology and Environment", [DEP + "sheng-huan-bao-ting/"],
     "today's name (lineage: renamed 2018 to 山西省生态环境厅) of the Provincial Environmental Protection Department"),
    ("en", "Department of Emergency Management", [DEP + "sheng-an-jian-ju/"],
     "successor (lineage: merged 2018) of the Provincial Work Safety Administration 省安监局"),

    # --- Chinese queries on the English site (4)
    ("en", "脱硫", [T + "67/", T + "120/"],
     "脱硫 is central in task 67 (flue-gas desulphurisation) and task 120 (脱硫电价, desulphurisation tariff premium)"),
    ("en", "黄标车", [T + "69/"],
     "task 69 is the only task with 黄标车 (yellow-label vehicles)"),
    ("en", "清洁生产审核", [T + "79/", T + "80/"],
     "tasks 79 (mandatory cleaner production audits) and 80 (control of cleaner production audits) are about 清洁生产审核"),
    ("en", "排污权交易", [S + "tui-jin-pai-wu-quan-tan-pai-fang-quan-jiao-yi-shi-dian/", T + "138/"],
     "section 48 is the pilot trading of emission rights; task 138 builds the emission rights trading market"),

    # --- task numbers (2)
    ("en", "task 67", [T + "67/"], "task number"),
    ("en", "task 131", [T + "131/"], "task number"),
]

# Judged queries for the five non-Shanxi documents. Each entry is
# (edition, query, must-have paths relative to site/<edition>/, reason).
# Decided by reading content/documents/*/ and content/registries/*.toml.
SC13 = "documents/state-council-2013-coal-industry/"
SC16 = "documents/state-council-2016-quantified-targets/"
GZ = "documents/guangzhou-2012-talent-cluster/"
JY = "documents/jiayu-2021-government-work-report/"
JX = "documents/jinxiang-2025-key-work/"

OTHERS = [
    # ---- zh edition: task content words, figures, agencies, traditional, pinyin
    ("zh", "煤炭资源税", [SC13 + "tasks/2/"],
     "coal task 2 (减轻税费负担) is the only one about 煤炭资源税从价计征改革"),
    ("zh", "1.65万亿元", [SC16 + "tasks/8/"],
     "figure as written: 公路投资1.65万亿元 is quantified target 8"),
    ("zh", "11.5%", [JY + "tasks/3/"],
     "figure as written: Jiayu task 3, 规模以上工业增加值增长11.5%"),
    ("zh", "地区生产总值", [JY + "tasks/1/", JX + "tasks/1/"],
     "the GDP growth target is task 1 in both county documents (11% Jiayu, 6% Jinxiang)"),
    ("zh", "修编经济开发区整体规划", [JX + "tasks/7/"],
     "Jinxiang task 7 is exactly this: revise the development-zone master plan and the park plans"),
    ("zh", "国家发展改革委", ["departments/state-council/fa-zhan-gai-ge-wei/"],
     "the State Council's 发展改革委 (full name 国家发展和改革委员会); its department page"),
    ("zh", "县财政局", ["departments/jiayu/xian-cai-zheng-ju/", "departments/jinxiang/xian-cai-zheng-ju/"],
     "both county registries have a 县财政局; the agencies themselves"),
    ("zh", "科经局", ["departments/jiayu/xian-ke-jing-ju/"],
     "shortened form of 县科经局 (嘉鱼县科学技术和经济信息化局), the only such agency"),
    ("zh", "大學生村官", [GZ + "tasks/16/"],
     "traditional characters for 大学生村官; Guangzhou task 16 is the 大学生村官培养项目"),
    ("zh", "煤礦安監局", ["departments/state-council/mei-kuang-an-jian-ju/"],
     "traditional characters for 煤矿安监局 (国家煤矿安全监察局); the agency itself"),
    ("zh", "rencai gongyu", [GZ + "tasks/38/"],
     "pinyin of 人才公寓; Guangzhou task 38 is the 人才公寓 project"),
    ("zh", "shuilibu", ["departments/state-council/shui-li-bu/"],
     "pinyin of 水利部; the agency itself (slug shui-li-bu)"),

    # ---- en edition: English agency names and abbreviations
    ("en", "NDRC", ["departments/state-council/fa-zhan-gai-ge-wei/"],
     "NDRC is the short English name of 发展改革委 in the State Council translations"),
    ("en", "Ministry of Finance", ["departments/state-council/cai-zheng-bu/"],
     "English name of 财政部; the agency itself"),
    ("en", "AQSIQ", ["departments/state-council/zhi-jian-zong-ju/"],
     "AQSIQ is the short English name of 质检总局 (coal document)"),
    ("en", "SASAC", ["departments/state-council/guo-zi-wei/", "departments/guangzhou/shi-guo-zi-wei/"],
     "SASAC is the short name of the State Council 国资委; Guangzhou's 市国资委 is 'Municipal SASAC'"),
    ("en", "Food Industrial Park", ["departments/jinxiang/shi-pin-chan-ye-yuan/"],
     "English short name of Jinxiang's 食品产业园; the agency itself"),
    # ---- en edition: document titles
    ("en", "Opinions on Promoting the Stable Operation of the Coal Industry", [SC13],
     "English title of 国办发〔2013〕104号"),
    ("en", "Talent Cluster Project", [GZ],
     "English title/short title of the Guangzhou 人才集聚工程 opinions"),
    ("en", "Government Work Report quantified targets", [SC16],
     "English short title of 国办函[2016]38号"),
    # ---- en edition: Chinese queries that must reach the English task pages
    ("en", "褐煤", [SC13 + "tasks/3/"],
     "Chinese on the en site: 褐煤纳入法定检验目录 is only in coal task 3"),
    ("en", "行政村通光纤", [SC16 + "tasks/6/"],
     "Chinese on the en site: 推进5万个行政村通光纤 is quantified target 6"),
    ("en", "珠江科技新星", [GZ + "tasks/13/"],
     "Chinese on the en site: Guangzhou task 13 is the 珠江科技新星项目"),
    ("en", "固定资产投资", [JY + "tasks/4/", JX + "tasks/3/"],
     "Chinese on the en site: fixed-asset investment target is Jiayu task 4 and Jinxiang task 3"),
]

JUDGED = SHANXI_ZH + SHANXI_EN + OTHERS
