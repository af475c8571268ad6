#!/usr/bin/env python3
"""Build and check bench/private_eval/questions.jsonl (private held-out-style set; never tune on it).

Every anchor is checked to be a (whitespace-insensitive) substring of the named plan; run from the
project root: .venv/bin/python bench/private_eval/build.py
"""
from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLANS = HERE.parents[1] / "knowledge" / "plans"
SEEDS = {  # plan file -> seed file name (mapped by identical content)
    "000_87750e4ac51e19cb.txt": "2022-济南市槐荫区-政务公开工作要点.txt",
    "001_da36f7a422d82783.txt": "2020-淄博市周村区-政务公开工作要点.md",
    "002_baea861421853175.txt": "2022-烟台栖霞市-政务公开工作要点.txt",
    "003_56cf912e61e5bbd4.txt": "2024-枣庄市薛城区-政务公开工作要点.txt",
    "004_2e6bec67672e9675.txt": "2023-济南市历城区-政务公开工作要点.txt",
}
HY, ZC, QX, XC, LC = SEEDS  # doc ids
REG = {HY: ("槐荫区", 2022), ZC: ("周村区", 2020), QX: ("栖霞市", 2022), XC: ("薛城区", 2024), LC: ("历城区", 2023)}


def Q(kind, style, question, doc=None, anchors=(), units=(), deadline=None, named=True, alt=None, note=None):
    region, year = REG[doc] if (doc and named) else (None, None)
    d = {"question": question, "kind": kind, "region": region, "year": year, "doc": doc, "also_docs": [],
         "anchors": list(anchors), "units": list(units), "deadline": deadline, "style": style}
    if alt:
        d["alt"] = alt
    if note:
        d["note"] = note
    return d


def N(style, question, region=None):
    return {"question": question, "kind": "none", "region": region, "year": None, "doc": None, "also_docs": [],
            "anchors": [], "units": [], "deadline": None, "style": style}


ITEMS = [
    # ---------------------------------------------------------------- who: 槐荫 (table rows)
    Q("who", "colloquial", "槐荫区老旧小区、棚户区改造的项目清单归哪个部门公开？", HY,
      ["做好老旧小区、棚户区改造相关政策措施及项目清单公开"], ["区住房城乡建设局", "各街道办事处"],
      note="附件表第17行。"),
    Q("who", "colloquial", "在槐荫区，大学毕业生找工作能享受的就业创业补贴政策是谁负责公开的？", HY,
      ["重点做好就业困难人员、高校毕业生、贫困劳动力等就业创业补贴政策服务信息公开"],
      ["区人力资源社会保障局", "各街道办事处"], note="附件表第18行。"),
    Q("who", "formal", "2022年槐荫区乡村振兴资金使用情况和分配结果信息的公开由哪些单位负责？", HY,
      ["做好乡村振兴政策、工作进展情况等方面信息公开"], ["区财政局", "区农业农村局", "各街道办事处"],
      note="附件表第7行；栖霞市有相近句子但措辞为“工作进展方面的信息公开”。"),
    Q("who", "typo", "槐荫区重污染天气应对、臭氧污染防止这些生态环境信息由哪个部门公开？", HY,
      ["围绕重污染天气应对、臭氧污染防治、柴油货车污染治理"], ["区生态环境分局", "各街道办事处"],
      note="附件表第8行（正文无此句）。错字：防止←防治。"),
    Q("who", "pinyin", "Huaiyin qu shuang suiji yi gongkai jianguan xinxi gongkai 由哪个部门牵头？", HY,
      ["加大重点民生领域部门联合“双随机、一公开”监管信息公开力度"], ["区市场监管局"],
      note="附件表第15行：“区市场监管局牵头、有关部门配合，各街道办事处”。"),
    Q("who", "english", "Which Huaiyin department is responsible for publicizing financing subsidy policies for small and micro enterprises?", HY,
      ["加大对中小微企业融资补贴政策宣传解读力度"], ["区财政局", "各街道办事处"], note="附件表第3行。"),
    Q("who", "staff", "槐荫 传统消费升级 无接触式消费 责任单位", HY,
      ["主动公开实施传统消费升级行动相关政策，拓展无接触式消费"], ["区发展改革局", "区商务局", "各街道办事处"],
      note="附件表第2行（正文无此句）。"),
    Q("who", "colloquial", "槐荫区20件重点民生实事的进展情况，是哪些部门负责公开的？", HY,
      ["以推进20件重点民生实事为抓手", "全面公开民生实事工作进展、取得成效及下一步举措"],
      ["区教育和体育局", "区民政局", "区人力资源社会保障局", "区住房城乡建设局", "区应急局", "区医保局", "各街道办事处"],
      note="附件表第22行。"),
    Q("who", "staff", "科创十条 知识产权激励政策 公开 责任单位", HY,
      ["全面落实“科创十条”、知识产权激励政策"], ["区政府有关部门", "各街道办事处"], named=False,
      note="附件表第6行，责任单位为合并单元格，沿用第4行“区政府有关部门，各街道办事处”。只有槐荫区有此话题。"),
    Q("who", "typo", "槐荫区档案馆、图书馆政府信息公开查阅中心建设由那些单位负责？", HY,
      ["加强档案馆、图书馆政府信息公开查阅中心建设"], ["区政府各部门", "各街道办事处"],
      note="附件表第49行，责任单位合并单元格沿用第47行“区政府各部门，各街道办事处”。错字：那←哪。"),
    # ---------------------------------------------------------------- who: 周村 (table rows)
    Q("who", "staff", "“产业攀登”攻坚行动 进展 责任单位", ZC,
      ["“产业攀登”攻坚行动进展及落实情况"], ["区工业和信息化局"], named=False, note="附件表；只有周村区有此话题。"),
    Q("who", "pinyin", "Zhoucun wenlv ronghe fazhan gongjian xingdong jinzhan 由谁公开？", ZC,
      ["文旅融合发展攻坚行动进展及落实情况"], ["区文化和旅游局"]),
    Q("who", "colloquial", "周村区老百姓家里水龙头的水质情况，由哪个部门负责公开？", ZC,
      ["持续推进每季度向社会公开饮用水水源、供水厂出水、用户水龙头水质等饮水安全状况"],
      ["区生态环境分局", "区水利局"], note="附件表“打赢三大攻坚战”第2行：“区生态环境分局、区水利局等有关部门”。"),
    Q("who", "formal", "周村区“六最”城市建设中的市政建设、国土空间规划编制和棚户区改造信息公开由哪些单位负责？", ZC,
      ["市政建设相关信息、国土空间规划编制相关信息、棚户区改造信息"],
      ["区住房城乡建设局", "区自然资源局", "区综合行政执法局", "区园林绿化服务中心"]),
    Q("who", "typo", "周村区高考综合改格、民办教育规范发展等信息公开由哪个部门负责？", ZC,
      ["高考综合改革、民办教育规范发展等信息公开"], ["区教育和体育局"], note="错字：改格←改革。"),
    Q("who", "english", "Who publishes the list of designated medical insurance hospitals and pharmacies in Zhoucun?", ZC,
      ["及时发布医保定点医院、药店及药品、诊疗项目目录等"], ["区人力资源社会保障局", "区医保分局"]),
    Q("who", "colloquial", "周村区失信的“黑名单”公示归哪个部门管？", ZC,
      ["建立信用“红黑名单”制度"], ["区发展改革局"]),
    Q("who", "staff", "周村 国资监管 国企改革 信息公开 谁负责", ZC,
      ["持续推进国资监管和国企改革信息公开"], ["区财政局"]),
    Q("who", "formal", "周村区的区总体应急预案由哪个部门负责公开？", ZC,
      ["加强各级各类应急预案公开"], ["区应急局"],
      note="附件表单元格：“区总体预案:区应急局 自然灾害类专项预案:…”。"),
    Q("who", "colloquial", "周村区搞政府开放日、网络问政、电视问政这些活动，是哪些单位负责？", ZC,
      ["持续深入开展政府开放日、网络问政、电视问政等多形式的公众参与和监督活动"],
      ["各镇政府", "街道办事处", "周村经济开发区管委会", "区政府有关部门"],
      note="附件表“推进决策公开”第4行，责任单位合并单元格沿用第3行“各镇政府、街道办事处、周村经济开发区管委会和区政府有关部门、单位”。正文措辞为“持续深化开展”。"),
    # ---------------------------------------------------------------- who: 历城 (table rows)
    Q("who", "formal", "历城区生态环境质量信息公开和绿色低碳高质量发展政策解读由哪些单位负责？", LC,
      ["切实提升生态环境质量信息公开水平"], ["区发展改革局", "市生态环境局历城区分局"], note="附件表第3行。"),
    Q("who", "typo", "历城区国有企业“十条政侧”落实情况由哪个部门负责公开？", LC,
      ["按要求公开国有企业创新驱动高质量发展“十条政策”落实情况和取得成效"], ["区财政局"], note="附件表第4行。错字：政侧←政策。"),
    Q("who", "staff", "历城 互联网+监管 跨部门综合监管 信用监管 责任单位", LC,
      ["互联网+监管、跨部门综合监管和信用监管"], ["区市场监管局", "区发展改革委", "区大数据局"],
      note="附件表第6行：“区市场监管局、区发展改革委、区大数据局等相关单位”。"),
    Q("who", "colloquial", "历城区失业人员、退役军人找工作用的技能培训和公益性岗位信息，谁来公开？", LC,
      ["持续公开职业技能培训、城乡公益性岗位、就业创业补贴、灵活就业支持政策等信息"],
      ["区人力资源社会保障局", "区退役军人局"], note="附件表第8行。"),
    Q("who", "typo", "历城区校外培训机构的收费公式和办学资质信息由哪个部门负责？", LC,
      ["对民办教育学校和校外培训机构加强监管"], ["区教育体育局"], note="附件表第9行。错字：公式←公示。"),
    Q("who", "colloquial", "历城区养老院、托育机构的监管结果归哪个部门公开？", LC,
      ["重点加强对养老托育机构质量安全、从业人员、运营秩序等方面的监管"],
      ["区民政局", "区卫生健康局", "各街道办事处"], note="附件表第11行。"),
    Q("who", "formal", "2023年历城区将决策草案全文、草案说明、决策背景等信息归集展示在专题专栏中，由哪些单位负责？", LC,
      ["归集展示在专题专栏中"],
      ["区发展改革局", "区卫生健康局", "区交通运输局", "市生态环境局历城分局", "区城乡融合发展中心"],
      note="附件表第13行。"),
    Q("who", "pinyin", "zhangshang gongbao 影响力 由哪个部门负责提升？", LC,
      ["提升“掌上公报”影响力"], ["区政府办公室"], named=False,
      note="附件表第29行，责任单位合并单元格沿用第28行“区政府办公室”。只有历城区有“掌上公报”。"),
    Q("who", "staff", "历城 公共企事业单位 监督投诉渠道 责任单位", LC,
      ["对因公共企事业单位未依法及时公开相关信息而损害市民企业权益的"],
      ["区发展改革局", "区卫生健康局", "区教育体育局"],
      note="附件表第40行，责任单位合并单元格沿用第39行。"),
    # ---------------------------------------------------------------- who: 薛城 (inline 责任单位)
    Q("who", "english", "Who is responsible for explaining consumption support policies for new energy vehicles in Xuecheng?", XC,
      ["围绕新能源汽车、特色医疗、健康养老、体育赛事、文娱旅游、住房改善等领域消费支持政策"],
      ["区商促局", "区医保局", "区卫健局", "区教体局", "区文旅局", "区住建局"]),
    Q("who", "colloquial", "“无废城市”和生活垃圾分类的宣传归哪个部门管？", XC,
      ["及时发布全域“无废城市”相关工作动态", "强化生活垃圾分类宣传"],
      ["枣庄市生态环境局薛城分局", "区综合行政执法局"], named=False, note="只有薛城区有“无废城市”。"),
    Q("who", "typo", "薛城区就业创业政策清单由哪个部门更新发部？", XC,
      ["及时更新发布本地区就业创业政策清单"], ["区人社局", "区退役军人事务局"], note="错字：发部←发布。"),
    Q("who", "colloquial", "薛城区外卖骑手、网约车司机职业伤害保障试点的进展由谁公开？", XC,
      ["持续推动外卖骑手、网约车司机等新就业形态职业伤害保障试点工作进展情况公开"], ["区民政局", "区人社局"]),
    Q("who", "pinyin", "Xuecheng qilu liangcang xiangcun zhenxing xinxi gongkai 谁负责？", XC,
      ["围绕“齐鲁粮仓”建设、乡村产业富民、和美乡村提升、数字乡村试点等方面"], ["区农业农村局"]),
    Q("who", "typo", "薛城区政府往站IPv6改造由哪个部门负责？", XC,
      ["有序推进政府网站IPv6改造任务"], ["区政府办公室", "区大数据中心"],
      note="（十一）2：“区政府办公室、区大数据中心、区政府有关部门”。错字：往站←网站。"),
    Q("who", "typo", "薛城区征地拆迁、国土空间规化等领域推动依申请向主动公开转化，由哪些单位负责？", XC,
      ["推动申请较为集中的政府信息向主动公开转化"], ["各镇街", "区住建局", "区自然资源局", "区人社局"],
      note="（十）3：“各镇街，区住建局、区自然资源局、区人社局等有关部门”。错字：规化←规划。"),
    # ---------------------------------------------------------------- when
    Q("when", "colloquial", "槐荫区给农民发的各类惠农补贴，发放结果啥时候前要在村务公开栏公开？", HY,
      ["面向农村的各类惠民惠农财政补贴资金实际发放结果以村为单位通过村务公开栏公开"], deadline="2022年年底前",
      note="附件表第42行完成时限“2022年年底前”；正文只说“及时”。"),
    Q("when", "formal", "槐荫区对特别重大、重大突发事件的政务舆情，最迟多长时间内要发布权威信息？", HY,
      ["最迟在5小时内发布权威信息"], deadline="5小时内"),
    Q("when", "staff", "槐荫 本单位年度政务公开工作要点 发布时限", HY,
      ["结合区域实际和业务重点发布本单位年度政务公开工作要点"], deadline="本文件印发后30日内", note="附件表第65行。"),
    Q("when", "typo", "槐荫区现行有效的规范性文件要在什么时侯前集中公开？", HY,
      ["集中公开现行有效的规范性文件"], deadline="2022年年底前",
      alt=[{"doc": HY, "anchors": ["集中公开现行有效的规范性文件"], "units": [], "deadline": "2022年底前"}],
      note="正文“2022年底前通过…”；附件表第50行完成时限“2022年年底前”。错字：时侯←时候。"),
    Q("when", "formal", "槐荫区对上一年度政务公开工作要点落实情况开展“回头看”的完成时限是什么？", HY,
      ["对上一年度工作要点落实情况开展“回头看”，逐项核查核销"], deadline="2022年6月底前", note="附件表第66行。"),
    Q("when", "staff", "槐荫 政务新媒体 分级备案制度 完成时限", HY,
      ["落实好政府系统政务新媒体分级备案制度"], deadline="2022年年底前完成，长期坚持", note="附件表第47行。"),
    Q("when", "colloquial", "周村区的证明事项清单啥时候要梳理公布出来？", ZC,
      ["7月底前组织各级各部门梳理公布证明事项清单"], deadline="7月底前"),
    Q("when", "pinyin", "Zhoucun guifanxing wenjian jizhong fabu pingtai 什么时候前建立？", ZC,
      ["2020年底前建立规范性文件集中发布平台"], deadline="2020年底前"),
    Q("when", "formal", "周村区的区级和镇（街道）政务公开事项标准目录要求在什么时间编制完成？", ZC,
      ["组织编制完成区级和镇（街道）政务公开事项标准目录"], deadline="2020年年底"),
    Q("when", "staff", "周村 政务公开在行动 稿件报送 频次", ZC,
      ["每月至少报送1篇稿件"], deadline="每月至少报送1篇"),
    Q("when", "english", "How often does Zhoucun publish ambient air quality information?", ZC,
      ["按月发布环境空气质量状况等信息"], deadline="按月"),
    Q("when", "formal", "周村区涉及公共利益的重大事项公开征求意见，期限一般不少于多少日？", ZC,
      ["公开征求意见的期限一般不少于30日"], deadline="不少于30日"),
    Q("when", "colloquial", "历城区企业用户空间的“一企一档”啥时候能搞好？", LC,
      ["实现“一企一档”"], deadline="2023年年底",
      alt=[{"doc": LC, "anchors": ["实现“一企一档”"], "units": [], "deadline": "2023年12月底前"}],
      note="正文“2023年年底，优化企业用户空间”；附件表第5行完成时限2023年12月底前。"),
    Q("when", "formal", "历城区决策承办单位应在决策文件出台后多长时间内公开前期意见的收集、采纳情况？", LC,
      ["决策承办单位需于决策文件出台后"], deadline="10个工作日内"),
    Q("when", "typo", "历城区教育、卫生健康、供电领域的公共企事业单位信息公开，完成时现是什么？", LC,
      ["进一步规范教育、卫生健康、供电领域的公共企事业单位信息公开"], deadline="2023年11月底前", note="附件表第39行。错字：时现←时限。"),
    Q("when", "typo", "历城区9类困难群众救助标准要在什么时后前发布？", LC,
      ["重点发布9类困难群众救助标准"], deadline="2023年12月底前", note="附件表第10行。错字：时后←时候。"),
    Q("when", "formal", "薛城区主动公开事项目录要求在什么时间前形成？", XC,
      ["年底前形成主动公开事项目录"], deadline="年底前"),
    Q("when", "colloquial", "薛城区政府工作报告里的重点任务和民生实事执行得咋样，多久公开一次？", XC,
      ["按季度向社会公开区政府工作报告重点任务、重要民生实事项目的执行情况"], deadline="按季度"),
    Q("when", "staff", "栖霞 公共企事业单位信息公开平台 升级改造 完成时间", QX,
      ["升级改造完成全市统一的公共企事业单位信息公开平台"], deadline="2022年9月底前"),
    Q("when", "pinyin", "Qixia huimin huinong caizheng butie fafang jieguo 什么时候在村务公开栏公开？", QX,
      ["年底前以村为单位通过村务公开栏公开"], deadline="年底前"),
    # ---------------------------------------------------------------- what
    Q("what", "colloquial", "槐荫区说的政策服务“中央厨房”是干啥用的？", HY,
      ["通过政策服务“中央厨房”进行场景化展示和精准化个性化推送"]),
    Q("what", "staff", "槐荫 “26+1+n” 标准化清单", HY,
      ["围绕我区“26+1+n”个领域基层政务公开标准化清单"]),
    Q("what", "formal", "槐荫区重大行政决策事项要以什么方式归集展示决策草案全文、决策背景等信息？", HY,
      ["以事项目录超链接方式归集展示决策草案全文"]),
    Q("what", "formal", "政府公文分类展示时，分类方式至少要包括哪些？", HY,
      ["分类方式至少包括发布机构、发布年份和主题等"], named=False, note="只有槐荫区规定了“至少包括”。"),
    Q("what", "colloquial", "栖霞市发布疫情流调信息时要注意啥？", QX,
      ["进一步规范流调信息发布和管理，保护好个人隐私"]),
    Q("what", "colloquial", "部门报请政府发文时没附上解读材料，会怎么处理？", QX,
      ["对缺项的原则上予以退文"], named=False, note="只有栖霞市有“退文”规定。"),
    Q("what", "typo", "栖霞市政府要探索建立的公众代表苦是干什么的？", QX,
      ["市政府及市政府各部门要探索建立公众代表库"], note="错字：苦←库。"),
    Q("what", "english", "Which consumption promotion campaigns should Qixia step up publicity for?", QX,
      ["加大“惠享山东消费年”“文化和旅游惠民消费季”等系列活动的宣传解读力度"]),
    Q("what", "colloquial", "历城区以区政府名义发的重要政策文件，解读至少要用几种形式？", LC,
      ["至少需采用不少于5种"]),
    Q("what", "formal", "历城区级政府年内邀请公众代表列席政府常务会的次数有什么要求？", LC,
      ["要求区级政府年内邀请公众代表列席政府常务会不少于5次"]),
    Q("what", "pinyin", "quan hui qi qiye fuwu zonghe zhihui pingtai 要用来干什么？", LC,
      ["依托“泉惠企”企业服务综合智慧平台"], named=False, note="只有历城区有“泉惠企”。"),
    Q("what", "colloquial", "历城区土地征收、旧区改造这些只跟部分人有关的事，信息怎么公开？", LC,
      ["实行定点公开和定向公开"]),
    Q("what", "formal", "“枣解决、枣满意”平台在政策解读和政务咨询中起什么作用？", XC,
      ["政策起草部门要充分收集“枣解决、枣满意”平台"], named=False,
      alt=[{"doc": XC, "anchors": ["推动“枣解决、枣满意”平台、12345市民服务热线"]}],
      note="（六）2与（八）3都提到该平台。"),
    Q("what", "colloquial", "“我为政府网站找错”平台上的留言会有人处理吗？", XC,
      ["持续做好“我为政府网站找错”平台留言办理工作"], named=False),
    Q("what", "staff", "报网端微屏 政策传播", XC,
      ["综合运用“报、网、端、微、屏”等传媒载体扩大政策传播"], named=False),
    Q("what", "formal", "政府信息公开专栏需要涵盖哪几部分内容？", ZC,
      ["专栏需涵盖政府信息公开指南、政府信息公开制度、法定主动公开内容和政府信息公开工作年度报告四部分"], named=False,
      note="只有周村区规定专栏涵盖四部分（正文与附件表都有）。"),
    Q("what", "colloquial", "周村区出台的惠企政策，要公开哪些内容让企业知道？", ZC,
      ["公开惠企政策申请条件、申报材料清单、办理流程、承办部门、联系方式、起止时间等信息"]),
    Q("what", "typo", "周村区政务服务“好差平”制度要求公开什么？", ZC,
      ["建立健全政务服务“好差评”制度，定期公开政务服务情况、企业群众评价和差评处理结果"], note="错字：平←评。"),
    Q("what", "formal", "周村区办理依申请公开时，法定不予公开条款应坚持什么原则？", ZC,
      ["对法定不予公开条款应坚持最小化适用原则"]),
    Q("what", "formal", "对无法向申请人提供政府信息的依申请件，应当如何处理？", HY,
      ["要在告知书中说明理由"], named=False,
      alt=[{"doc": QX, "anchors": ["要在告知书中说明理由"]}], note="槐荫区与栖霞市原文相同。"),
    Q("what", "typo", "槐荫区政府网站适老化和无障碍改早有什么要求？", HY,
      ["积极推动全区政府网站和政务新媒体适老化和无障碍改造"], note="错字：改早←改造。"),
    # ---------------------------------------------------------------- list
    Q("list", "formal", "槐荫区民政局在政务公开方面有哪些任务？", HY,
      ["多渠道发布养老保障、养老服务、养老机构、养老设施等相关补贴政策",
       "做好城乡低保、特困人员救助供养、医疗救助、临时救助等社会救助信息公开"],
      note="附件表第21、22行。"),
    Q("list", "staff", "周村 区财政局 公开任务 清单", ZC,
      ["继续深化我区政府预决算信息公开工作", "持续推进国资监管和国企改革信息公开",
       "做好疫情防控资金、物资的来源、分配和使用情况等信息公开", "打造区域性科创产业金融高地攻坚行动进展及落实情况"],
      note="区财政局还出现在重点改革攻坚、宏观调控、扶贫资金、复工复产等行。"),
    Q("list", "colloquial", "历城区民政局在政务公开上要干些啥？", LC,
      ["重点发布9类困难群众救助标准", "做好养老托育相关配套政策的宣传解读工作"], note="附件表第10、11行。"),
    Q("list", "formal", "2023年历城区政府办公室承担哪些政务公开重点任务？", LC,
      ["要持续优化平台功能", "完善政府公报数据库", "不断优化依申请公开全过程监管平台设置"],
      note="附件表第28、29（合并单元格）、38行。"),
    Q("list", "english", "What disclosure tasks is the Xuecheng Justice Bureau responsible for?", XC,
      ["及时发布2024年区政府重大行政决策事项目录", "严格落实行政执法公示制度", "修订完善依申请办理规范文书",
       "研究制定相关约束转办机制"], note="（四）1、（四）3、（十）1、（十）4。"),
    Q("list", "typo", "薛城区人设局要负责哪些政务公开任务？", XC,
      ["及时更新发布本地区就业创业政策清单", "加强“一老一小”服务保障有关政策推送",
       "推动申请较为集中的政府信息向主动公开转化"], note="（三）1、（三）5、（十）3。错字：人设←人社。"),
    Q("list", "colloquial", "槐荫区6月底前要完成哪些政务公开任务？", HY,
      ["确保提前完成各项工作任务", "逐项核查核销"], note="附件表第39、66行完成时限2022年6月底前。"),
    Q("list", "staff", "槐荫 2022年9月底前 完成 任务", HY,
      ["组织辖区公共企事业单位摸清信息公开现状", "督促相关企事业单位探索制定信息公开细则",
       "要重点围绕具有市场支配地位"],
      note="附件表第23行（2022年9月底前）、第24行（合并单元格沿用）、第25行（2022年9月底前完成，长期坚持）。"),
    Q("list", "colloquial", "周村区2020年底前要完成哪些政务公开任务？", ZC,
      ["2020年底前建立规范性文件集中发布平台", "法定主动公开内容全部公开到位",
       "组织编制完成区级和镇（街道）政务公开事项标准目录"]),
    Q("list", "formal", "周村区卫生健康局承担哪些政务公开工作？", ZC,
      ["公开透明发布新冠肺炎疫情信息和防控措施", "大力加强公共卫生知识日常普及工作",
       "推进健康扶贫、医疗服务、公共卫生和重大疾病防治"]),
    Q("list", "pinyin", "Xuecheng qu nongye nongcun ju 负责哪些公开任务？", XC,
      ["做好乡村振兴信息公开", "围绕惠农资金补助发放、拆迁安置方案等事项"], note="（二）2、（二）4。"),
    # ---------------------------------------------------------------- none
    N("colloquial", "槐荫区退休老人的养老金每个月能领多少钱？", "槐荫区"),
    N("formal", "历城区新生儿办理户口登记需要提交哪些材料？", "历城区"),
    N("formal", "张店区2023年政务公开工作要点有哪些重点任务？"),
    N("typo", "周村区申请政府信息公开，信息处理废一页收多少钱？", "周村区"),
    N("english", "How do I renew my passport in Licheng district?", "历城区"),
    N("staff", "薛城 公租房 租金标准", "薛城区"),
    N("pinyin", "shebaoka guashi buban liucheng"),
    N("colloquial", "栖霞市今年冬天啥时候开始集中供暖？", "栖霞市"),
    N("colloquial", "历城区政府开放日活动的报名电话是多少？", "历城区"),
    N("typo", "今年高考分数线什么时候公步？"),
    N("english", "What is the minimum wage in Zibo?"),
    N("staff", "槐荫 居住证 办理地点", "槐荫区"),
    N("colloquial", "薛城区外卖骑手要是受了工伤，职业伤害保障一次能赔多少钱？", "薛城区"),
    N("formal", "周村区城乡低保标准是每人每月多少元？", "周村区"),
    N("formal", "政府信息公开申请的法定答复期限是多少个工作日？"),
    N("formal", "淄博市高新区2022年政务公开工作要点对养老服务信息公开有什么要求？"),
]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def main() -> None:
    texts = {seed: squash((PLANS / name).read_text(encoding="utf-8")) for seed, name in SEEDS.items()}
    dev = [json.loads(x)["question"] for x in Path("/work/shared/eval/dev.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    problems = []
    out = []
    for i, item in enumerate(ITEMS, 1):
        item = {"id": f"p{i:03d}", **item}
        out.append(item)
        if item["question"] in dev:
            problems.append(f"{item['id']}: copied from dev")
        for opt in [item] + item.get("alt", []):
            doc = opt.get("doc") or item["doc"]
            for a in opt.get("anchors") or []:
                if squash(a) not in texts[doc]:
                    problems.append(f"{item['id']}: anchor not in {doc}: {a}")
            for u in opt.get("units") or item["units"] if item["kind"] == "who" else []:
                if squash(u) not in texts[doc]:
                    problems.append(f"{item['id']}: unit not in {doc}: {u}")
            dl = opt.get("deadline") if "deadline" in opt else item["deadline"]
            if item["kind"] == "when" and dl and squash(dl) not in texts[doc]:
                problems.append(f"{item['id']}: deadline not in {doc}: {dl}")
    (HERE / "questions.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in out), encoding="utf-8")
    from collections import Counter
    print(len(out), "questions;", dict(Counter(x["kind"] for x in out)), dict(Counter(x["style"] for x in out)))
    print(dict(Counter(x["doc"] for x in out)))
    print("\n".join(problems) or "all anchors, units and deadlines found in their plans")


if __name__ == "__main__":
    main()
