"""Write the office-written plans in this folder as an office does: a Word plan whose clauses end in
"（责任单位：…；完成时限：…）" notes (python-docx), the same plan saved as PDF by LibreOffice
(`soffice --headless --convert-to pdf`), and a two-sheet workbook (task table first, clauses second) made with
openpyxl. Their hand-read facts are facts.jsonl. Run `python -m tests.indexer.office_written.make` to rewrite
the files (the PDF needs LibreOffice: Debian's libreoffice-writer-nogui, in the Makefile's system-deps).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
TITLE = "济南市市中区2025年政务公开工作要点"
NOTICE = ["济南市市中区人民政府办公室", "关于印发济南市市中区2025年政务公开工作要点的通知",
          "各街道办事处，区政府各部门，各有关单位：", "现将《济南市市中区2025年政务公开工作要点》印发给你们，请认真贯彻落实。",
          "济南市市中区人民政府办公室", "2025年3月20日"]
PREAMBLE = ("2025年是“十四五”规划收官之年，也是谋划“十五五”发展的关键之年。为深入贯彻落实《中华人民共和国政府信息公开条例》，"
            "结合我区实际，制定本要点。")
CLAUSES: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("一、围绕高质量发展，深化重点领域信息公开", [
        ("持续做好稳增长政策公开，及时发布促进民营经济发展壮大、扩大有效投资等政策措施，做好“政策找企业”精准推送。",
         "区发展改革局、区工业和信息化局", "2025年6月底前"),
        ("加大营商环境信息公开力度，动态更新涉企收费目录清单，公开“高效办成一件事”重点事项办理指南。",
         "区行政审批服务局、区市场监管局", "全年"),
        ("做好消费提振信息公开，集中发布以旧换新补贴申领流程、资金使用情况，回应群众关切。",
         "区商务局", "2025年9月底前"),
    ]),
    ("二、围绕民生保障，做好群众关注信息公开", [
        ("做好养老服务信息公开，公开养老机构名录、服务价格，政府网站和政务新媒体上线长者模式，方便老年人获取信息。",
         "区民政局、区大数据局", "2025年10月底前"),
        ("做好就业创业信息公开，每季度发布重点群体就业帮扶政策和招聘信息。", "区人力资源社会保障局", "每季度"),
        ("做好教育医疗信息公开，公开义务教育招生入学政策、医疗机构收费标准。", "区教育和体育局、区卫生健康局", "全年"),
    ]),
    ("三、夯实公开基础，提升政务公开质效", [
        ("规范政府信息公开平台建设，按照“以公开为常态、不公开为例外”原则，动态调整主动公开基本目录。",
         "区政府办公室，各街道办事处", "2025年12月底前"),
        ("严格依申请公开办理，在法定期限（20个工作日）内答复，加强答复文书合法性审查。", "区司法局、区政府办公室", "全年"),
        ("做好政策解读工作，重要政策文件与解读材料同步起草、同步审签、同步发布。", "区政府各部门", "全年"),
    ]),
]
TABLE = [
    ("聚焦稳增长", "及时公开促进民营经济发展壮大政策措施，做好“政策找企业”精准推送。", "区发展改革局、区工业和信息化局", "2025年6月底前"),
    ("", "动态更新涉企收费目录清单。", "区市场监管局", "全年"),
    ("保障和改善民生", "公开养老机构名录、服务价格，上线长者模式。", "区民政局、区大数据局", "2025年10月底前"),
    ("", "每季度发布重点群体就业帮扶政策和招聘信息。", "区人力资源社会保障局", "每季度"),
]


def clause_lines() -> list[str]:
    out = []
    for heading, items in CLAUSES:
        out.append(heading)
        for k, (text, units, deadline) in enumerate(items, 1):
            out.append(f"{k}.{text}（责任单位：{units}；完成时限：{deadline}）")
    return out


def write_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    for line in NOTICE:
        d.add_paragraph(line)
    d.add_paragraph(TITLE)
    d.add_paragraph(PREAMBLE)
    for line in clause_lines():
        d.add_paragraph(line)
    d.save(str(path))


def write_pdf(docx_path: Path, pdf_path: Path) -> None:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", out, str(docx_path)],
                       check=True, capture_output=True, timeout=180)
        shutil.copy(Path(out) / (docx_path.stem + ".pdf"), pdf_path)


def write_xlsx(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    table = book.active
    table.title = "任务分解表"
    table.append([f"{TITLE}任务分解表"])
    table.merge_cells("A1:E1")
    table.append(["序号", "工作任务", "具体要求", "责任单位", "完成时限"])
    for k, (task, text, units, deadline) in enumerate(TABLE, 1):
        table.append([k, task, text, units, deadline])
    table.merge_cells("B3:B4")
    table.merge_cells("B5:B6")
    clauses = book.create_sheet("工作要点")
    for line in [TITLE, PREAMBLE, *clause_lines()]:
        clauses.append([line])
    book.save(str(path))


def main() -> None:
    docx_path = HERE / "2025-济南市市中区-政务公开工作要点.docx"
    write_docx(docx_path)
    write_pdf(docx_path, HERE / "2025-济南市市中区-政务公开工作要点.pdf")
    write_xlsx(HERE / "2025-济南市市中区-政务公开任务分解表.xlsx")


if __name__ == "__main__":
    main()
