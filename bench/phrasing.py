"""The wording tables the question mix is generated from: how citizens, staff and visitors phrase questions.

Every template takes its content from the corpus (bench/mix.py fills in an entry's region, topic, unit,
year and deadline); these tables only hold the frame around it. They were written from the shapes in
bench/real_traffic (long chatty messages, voice-typed runs without punctuation, staff shorthand,
English, pinyin, follow-ups), never from how the engine reads them.
Neighbours: bench/mix.py draws from these tables.
"""
from __future__ import annotations

# {r}: a region as asked (full, short, with its city or year, or none); {t}: a topic from an entry's text
WHO = ("{r}{t}由哪个部门负责？", "{r}{t}归哪个部门管？", "{r}{t}是谁负责的？", "请问{r}{t}的责任单位是哪个？",
       "{r}负责{t}的是哪个部门？", "{t}这项工作{r}哪个单位牵头？", "{r}{t}由谁来做？", "{r}{t}找哪个部门？")
WHEN = ("{r}{t}什么时候完成？", "{r}{t}的完成时限是什么？", "{r}{t}要在什么时候前做完？", "{r}{t}截止到什么时候？",
        "{r}{t}有时间要求吗？", "{r}{t}最晚哪天完成？", "请问{r}{t}的期限是哪天？")
WHAT = ("{r}{t}有什么要求？", "{r}{t}要怎么做？", "{r}{t}具体要做哪些工作？", "关于{t}，{r}是怎么安排的？",
        "{r}{t}是什么意思？", "{r}在{t}方面要做什么？")
OPENERS = ("您好，", "你好，请问一下，", "领导您好，", "打扰一下，", "麻烦问一下，", "工作人员你好，", "", "在吗？")
SELVES = ("我是{r}的一名退休教师，", "我在{r}开了一家小饭馆，", "我家住在{r}，孩子刚上小学，", "我是外地来{r}打工的，",
          "我是{r}一个社区的网格员，", "我们公司在{r}做建筑工程，", "我父母年纪大了，住在{r}，", "我是{r}的个体户，",
          "我在{r}读研究生，", "我刚搬到{r}不久，")
HEARD = ("最近在新闻上看到", "听邻居说", "在政府网站上看到", "单位开会时提到", "朋友圈里有人转发说", "看到通知说")
DOING = ("区里要{t}", "要{t}", "今年会{t}", "政府在推进{t}", "{t}这件事")
CHATTY_ASKS = {
    "who": ("想问问这个事是哪个部门负责的？有具体的联系单位吗？", "这块工作到底归谁管？我好去问问。",
            "是哪个单位牵头在做？谢谢！", "我该找哪个部门咨询呢？"),
    "when": ("这个工作大概什么时候能完成？有没有截止时间？", "想知道什么时候之前要做完，我们好安排。",
             "有没有明确的完成时限？", "大概要到哪个月才能落实？麻烦告知。"),
    "what": ("具体都要做些什么呢？麻烦给解释一下，谢谢！", "这里面有哪些要求？跟我们老百姓有什么关系？",
             "能说说都要公开哪些内容吗？"),
}
FILLERS = ("嗯", "那个", "就是", "呃", "我想问一下", "请问", "喂", "你好")
VOICE_ASKS = {
    "who": ("是哪个部门管的啊", "归谁负责呀", "谁负责这个事", "找哪个单位"),
    "when": ("啥时候弄完啊", "什么时候完成呢", "截止是哪天啊", "有没有时间要求"),
    "what": ("具体要干啥呀", "都要做些什么呢", "是怎么回事啊"),
}
SHORTHAND = ("{r} {t} 责任单位", "{r} {t} 完成时限", "{t} 牵头单位", "{r} {t} 谁管", "{r}{t} 时限？", "{t} {r} 要求")
PINYIN = ("{r}{p}由谁负责？", "{r}{p} shi shei fuze", "{p} 什么时候完成？", "{r}{p}有什么要求？", "{p} {r}哪个部门管？")
ENGLISH = {
    "who": ("Who is responsible for {e} in {r}?", "Which department handles {e} in {r}?", "{r}: who is in charge of {e}?",
            "Who takes the lead on {e}?", "Which bureau in {r} is responsible for {e}?"),
    "when": ("When must {r} finish the work on {e}?", "What is the deadline for {e} in {r}?", "By when is {e} due?",
             "{r}: when should {e} be completed?"),
    "what": ("What does the plan say about {e} in {r}?", "What should be published about {e}?",
             "What are the requirements for {e} in {r}?", "Tell me about {e} in {r}, please."),
}
LEVELS_EN = {"区": "district", "县": "county", "市": "city"}
DEPARTMENT = ("{r}{u}负责哪些任务？", "{r}{u}要负责哪些活儿？", "{r}{u}有哪些政务公开任务？", "{r}{u}任务清单",
              "{r}{u}都有什么工作？", "{r}{u}要管哪些信息公开的事？", "列出{r}{u}的全部任务", "{r}{u}牵头的工作有哪些？")
DUE = ("{r}{y}年{m}月底前要完成哪些任务？", "{r}{m}月底前到期的任务有哪些？", "{r}{y}年{m}月底前 到期任务",
       "{r}{y}年上半年要完成哪些任务？", "{r}{y}年年底前要完成哪些工作？", "{r}{y}年{m}月前要做完的事有哪些？",
       "{r}{y}年第{q}季度到期的任务", "截至{y}年{m}月底{r}要完成哪些工作？")
REGION_PLAN = ("{r}政务公开工作要点有哪些任务？", "{r}{y}年政务公开要点都有啥？", "{r}今年政务公开有哪些重点工作？",
               "列出{r}的全部任务", "{r}政务公开都要做哪些事？", "{r}的工作要点讲了什么？", "{y}年{r}政务公开任务清单")
FOLLOW_PREFIX = ("", "好的，", "谢谢，", "嗯，", "明白了，", "那", "还有，", "另外，")
FOLLOW_BODY = ("什么时候要完成？", "还有别的单位吗？", "具体要做什么？", "截止时间呢？", "这个谁牵头？", "{r2}呢？",
               "{r2}的呢？", "{t2}呢？", "那{t2}归谁管？", "{r2}也有这项工作吗？", "就这些单位吗？", "要求哪天前做完？")
FOLLOW_SUFFIX = ("", "呀", "啊", "呢")
FOLLOW_CLOSE = ("", "谢谢", "麻烦再说一下")
OFF_TOPIC_SUBJECTS = ("个人所得税", "公积金贷款", "社保卡补办", "驾照换证", "医保报销", "护照办理", "房产证过户", "结婚登记",
                      "新生儿落户", "电动车上牌", "高考报名", "失业金领取", "居住证办理", "二手车过户", "宠物狗登记")
OFF_TOPIC_ASKS = ("怎么申报？", "在哪里办？", "需要什么材料？", "要多少钱？", "多久能办好？", "网上能办吗？")
WEATHER = ("明天天气怎么样？", "今天会下雨吗？", "周末适合出去玩吗？", "附近有什么好吃的？", "给我讲个笑话吧")
# Real districts no shipped or generated plan covers (none of their stems can be a generated county's)
UNKNOWN_REGIONS = ("北京市海淀区", "上海市浦东新区", "广州市天河区", "成都市锦江区", "南京市鼓楼区", "西安市雁塔区",
                   "武汉市江汉区", "南京市秦淮区", "上海市黄浦区", "上海市虹口区", "杭州市余杭区", "杭州市萧山区",
                   "广州市番禺区", "长沙市岳麓区", "珠海市香洲区", "深圳市罗湖区", "天津市和平区", "重庆市渝中区")
GREETINGS = ("你好", "您好", "在吗", "hello", "hi", "早上好", "晚上好", "谢谢", "你是谁", "你能做什么", "有人吗", "打扰了")
GREETING_ENDS = ("", "！", "？", "~", "。", "呀", "啊")
GREETING_STARTS = ("", "嗨，", "喂，", "哈喽，")
