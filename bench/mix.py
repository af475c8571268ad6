"""The question mix every latency figure is taken over (each question with its kind), and the targets.

Kinds: who / when / what, the three list kinds (a department's tasks, tasks due by a date, a region's
whole plan; each with and without a region), typos, pinyin, English, staff shorthand, off-topic,
unknown region and greetings. The scaled corpus adds the same kinds about its generated regions
(bench/scaled.py `scaled_questions`).
Neighbours: bench/run.py times these questions; bench/report.py prints the verdicts.
"""
from __future__ import annotations

MIX: tuple[tuple[str, str], ...] = (
    ("who", "养老补贴信息公开由哪个部门负责？"),
    ("who", "槐荫区新冠肺炎疫情防控信息发布由哪个部门负责？"),
    ("who", "历城区义务教育“双减”信息公开归哪个部门管？"),
    ("who", "薛城区城市更新“九大行动”的政策解读是谁负责？"),
    ("who", "周村区政府预决算信息公开的责任单位有哪些？"),
    ("when", "历城区政务公开要点落实情况什么时候前要纳入年度报告？"),
    ("when", "栖霞市公共企事业单位信息公开平台什么时候升级改造完成？"),
    ("when", "槐荫区规章集中公开的完成时限是什么？"),
    ("when", "周村区基层政务公开标准目录什么时候编制完成？"),
    ("what", "政府开放月活动要怎么开展？"),
    ("what", "重大行政决策事项目录管理有什么要求？"),
    ("what", "政府公报数据库要做哪些工作？"),
    ("what", "信息处理费按什么规定收取？"),
    ("list-department", "薛城区住建局负责哪些政务公开任务？"),
    ("list-department", "槐荫区卫生健康局要负责哪些活儿？"),
    ("list-department-all-regions", "区民政局有哪些任务？"),
    ("list-due-all-regions", "2023年12月底前要完成哪些任务？"),
    ("list-due", "槐荫区2022年6月底前要完成哪些任务？"),
    ("list-region", "历城区政务公开工作要点有哪些任务？"),
    ("typo", "周村区就业创业信息公开由哪些单为负责？"),
    ("typo", "历城区义物教育双减的公开要求是什么？"),
    ("pinyin", "yanglao butie 信息公开由谁负责？"),
    ("pinyin", "zhengfu kaifangyue 活动怎么搞？"),
    ("pinyin", "Xuecheng qu chengshi gengxin 由哪个部门负责？"),
    ("english", "Who is responsible for epidemic prevention information in Huaiyin district?"),
    ("english", "When must the government gazette database be improved?"),
    ("english", "What should be published about compulsory education?"),
    ("off-topic", "个人所得税怎么申报？"),
    ("unknown-region", "北京市海淀区政务公开要点有哪些？"),
    ("off-topic", "明天天气怎么样？"),
    ("off-topic", "公积金贷款最多能贷多少钱？"),
    ("greeting", "你好"),
    ("shorthand", "槐荫 快易办 责任单位"),
    ("shorthand", "栖霞 政府网站集约化 完成时限"),
)
QUESTIONS: tuple[str, ...] = tuple(q for _, q in MIX)
CLI_QUESTION = QUESTIONS[0]
CLI_RUNS = 5
BATCH_RUNS = 3
RANK_BM25_SCALED_QUERIES = 10
SUBPROCESS_TIMEOUT = 900  # seconds; every child is bounded

# (key, label, limit, unit, corpus the target applies to)
TARGETS: tuple[tuple[str, str, float, str, str], ...] = (
    ("cli_startup_s", "CLI start-up (ask --json, median)", 1.0, "s", "shipped"),
    ("batch_ms_per_question", "ask --json - batch, per question", 1.5, "ms", "shipped"),
    ("rss_mb", "peak RSS, load + answer", 150.0, "MB", "shipped"),
    ("p50_ms", "question latency p50 (all kinds)", 10.0, "ms", "scaled"),
    ("worst_kind_p99_ms", "question latency p99, worst kind", 50.0, "ms", "scaled"),
    ("build_s", "index build incl. tokenising", 300.0, "s", "scaled"),
    ("load_s", "index load (open the index directory)", 0.5, "s", "scaled"),
    ("rss_mb", "peak RSS, load + answer", 600.0, "MB", "scaled"),
)
