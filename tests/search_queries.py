"""Queries that must never throw, freeze or inject markup, in Python (test_search.py) and Chromium
(test_browser.py). What readers type, and what they must find, is the judged table: judged_queries.py."""

# Queries that must never throw, freeze or inject markup; they may find nothing.
HOSTILE = [
    "title:energy^10", "~2 +节能 -减排 *", "a:b:c", "^^^", "***", "-", "+", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "\"'`\\", "😀💡🌍", "𠀀𠀁", "   ", "　", "节能" * 5000,
    "price" + " x" * 3000, "\u0000\u200b", "第项", "task", "%s%d", "${1}", "../../etc/passwd",
]
