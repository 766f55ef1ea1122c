"""The query table: what a reader types, in which edition, and what must come first (or in the top 3).

The same table runs against the index in Python (test_search.py) and in Chromium (test_browser.py).
"""

# (edition, query, expected ref, rank): the ref must be first (rank 1) or within the top `rank`.
QUERIES = [
    ("zh", "省环保厅", "a-sheng-huan-bao-ting", 1),
    ("zh", "环保", "a-sheng-huan-bao-ting", 3),
    ("zh", "二氧化硫", "s20", 3),
    ("zh", "排污许可证", "t22", 5),
    ("zh", "黄标车", "t69", 2),
    ("zh", "合同能源管理", "s46", 3),
    ("zh", "吊炕", "t37", 3),
    ("zh", "一票否决", "t12", 2),
    ("zh", "城市矿产", "t85", 3),
    ("zh", "余热余压", "t35", 3),
    ("zh", "人行太原中心支行", "a-ren-hang-tai-yuan-zhong-xin-zhi-hang", 1),
    ("zh", "67", "t67", 1),
    ("zh", "第67项", "t67", 1),
    ("zh", "第６７项", "t67", 1),
    ("zh", "huanbaoting", "a-sheng-huan-bao-ting", 1),
    ("zh", "huan bao ting", "a-sheng-huan-bao-ting", 1),
    ("zh", "hbt", "a-sheng-huan-bao-ting", 1),
    ("zh", "fzggw", "a-sheng-fa-zhan-gai-ge-wei", 1),
    ("zh", "sheng fa zhan gai ge wei", "a-sheng-fa-zhan-gai-ge-wei", 1),
    ("zh", "renhang", "a-ren-hang-tai-yuan-zhong-xin-zhi-hang", 1),
    ("zh", "shengcaizhengting", "a-sheng-cai-zheng-ting", 1),
    ("zh", "jienengjianpai", "g-jie-neng-jian-pai", 1),
    ("zh", "tiaozhengyouhuachanyejiegou", "c2", 1),
    ("en", "pricing", "s42", 3),
    ("en", "Provincial Environmental Protection Department", "a-sheng-huan-bao-ting", 1),
    ("en", "yellow-label vehicles", "t69", 3),
    ("en", "energy performance contracting", "s46", 2),
    ("en", "task 67", "t67", 1),
    ("en", "67", "t67", 1),
    ("en", "Top Runner", "s45", 2),
    ("en", "hbt", "a-sheng-huan-bao-ting", 1),
    ("en", "huanbaoting", "a-sheng-huan-bao-ting", 1),
    ("en", "省环保厅", "a-sheng-huan-bao-ting", 1),
    ("en", "黄标车", "g-huang-biao-che", 1),
    ("en", "circular economy", "c5", 2),
    ("en", "price bureau", "a-sheng-wu-jia-ju", 1),
    ("en", "People's Bank", "a-ren-hang-tai-yuan-zhong-xin-zhi-hang", 1),
    ("en", "heat metering", "t42", 3),
    ("en", "urban mining", "t85", 3),
    ("en", "buses", "t45", 1),
]

# Queries that must never throw, freeze or inject markup; they may find nothing.
HOSTILE = [
    "title:energy^10", "~2 +节能 -减排 *", "a:b:c", "^^^", "***", "-", "+", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "\"'`\\", "😀💡🌍", "𠀀𠀁", "   ", "　", "节能" * 5000,
    "price" + " x" * 3000, "\u0000\u200b", "第项", "task", "%s%d", "${1}", "../../etc/passwd",
]
