"""The question mix every latency figure is taken over, and the targets the report checks.

Neighbours: bench/run.py times these questions; bench/report.py prints the verdicts.
"""
from __future__ import annotations

# What people ask: who / when / what / list, typos, pinyin, English, staff shorthand, off-topic, greetings.
QUESTIONS: tuple[str, ...] = (
    "养老补贴信息公开由哪个部门负责？",
    "槐荫区新冠肺炎疫情防控信息发布由哪个部门负责？",
    "历城区义务教育“双减”信息公开归哪个部门管？",
    "薛城区城市更新“九大行动”的政策解读是谁负责？",
    "周村区政府预决算信息公开的责任单位有哪些？",
    "历城区政务公开要点落实情况什么时候前要纳入年度报告？",
    "栖霞市公共企事业单位信息公开平台什么时候升级改造完成？",
    "槐荫区规章集中公开的完成时限是什么？",
    "周村区基层政务公开标准目录什么时候编制完成？",
    "政府开放月活动要怎么开展？",
    "重大行政决策事项目录管理有什么要求？",
    "政府公报数据库要做哪些工作？",
    "信息处理费按什么规定收取？",
    "薛城区住建局负责哪些政务公开任务？",
    "槐荫区卫生健康局要负责哪些活儿？",
    "区民政局有哪些任务？",
    "2023年12月底前要完成哪些任务？",
    "周村区就业创业信息公开由哪些单为负责？",
    "历城区义物教育双减的公开要求是什么？",
    "yanglao butie 信息公开由谁负责？",
    "zhengfu kaifangyue 活动怎么搞？",
    "Xuecheng qu chengshi gengxin 由哪个部门负责？",
    "Who is responsible for epidemic prevention information in Huaiyin district?",
    "When must the government gazette database be improved?",
    "What should be published about compulsory education?",
    "个人所得税怎么申报？",
    "北京市海淀区政务公开要点有哪些？",
    "明天天气怎么样？",
    "公积金贷款最多能贷多少钱？",
    "你好",
    "槐荫 快易办 责任单位",
    "栖霞 政府网站集约化 完成时限",
)
CLI_QUESTION = QUESTIONS[0]
CLI_RUNS = 5
BATCH_RUNS = 3
RANK_BM25_SCALED_QUERIES = 10
SUBPROCESS_TIMEOUT = 300  # seconds; every child is bounded

# (key, label, limit, unit, corpus the target applies to)
TARGETS: tuple[tuple[str, str, float, str, str], ...] = (
    ("cli_startup_s", "CLI start-up (ask --json, median)", 1.0, "s", "shipped"),
    ("batch_ms_per_question", "ask --json - batch, per question", 1.5, "ms", "shipped"),
    ("rss_mb", "peak RSS, load + answer", 150.0, "MB", "shipped"),
    ("p50_ms", "question latency p50", 5.0, "ms", "scaled"),
    ("build_s", "index build", 60.0, "s", "scaled"),
    ("load_s", "index load (open the index directory)", 2.0, "s", "scaled"),
)
