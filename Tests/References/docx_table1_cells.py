#!/usr/bin/env python3
"""Issue 18, Must show 3: the Johnsrud Table 1 written as .docx by `cohort`, read back by an
independent library (python-docx), its paragraphs and cells written as JSON for the Swift test
(DocxCommandTests), which compares them with the Markdown rendering of the same command.

Also converts the .docx with headless LibreOffice (`soffice --convert-to txt`) when soffice is
installed, and records whether it opened: LibreOffice repairs or refuses a broken package. The same
for the Johnsrud study's report.docx (every table and figure), converted to OpenDocument, recording
which pictures LibreOffice kept (the SVG, or only the PNG fallback).

Run from the repository root after `swift build` (or set COHORT to a cohort binary):
    python3 Tests/References/docx_table1_cells.py
Needs python-docx (pip install python-docx).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COHORT = os.environ.get("COHORT", os.path.join(ROOT, ".build", "debug", "cohort"))
# The study's Table 1 (Datasets/johnsrud2021/study.yaml, output table1-by-bleeding) as a command;
# the Swift test runs the same arguments with --format md.
ARGUMENTS = ["describe", "Datasets/johnsrud2021/cohort.csv", "--variables",
             "age,sex,disease,product,plt_baseline,ldh,crs_grade,icans_grade,plt_low,icans_high,anticoagulation",
             "--by", "bleeding_any"]
OUT = os.path.join(ROOT, "Tests", "Fixtures", "docx", "johnsrud_table1.cells.json")
TWIPS_PER_SPACE = 120  # DocxRenderer: one leading space of the text formats is 120 twips of indent


def blocks(document):
    """The body in document order: non-empty paragraphs and tables (cells' text and indents)."""
    out = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            if text:
                out.append({"paragraph": text})
        elif tag == "tbl":
            table = Table(child, document)
            rows, indents = [], []
            for row in table.rows:
                rows.append([cell.text for cell in row.cells])
                indent = []
                for cell in row.cells:
                    left = cell.paragraphs[0].paragraph_format.left_indent
                    indent.append(0 if left is None else round(left.twips / TWIPS_PER_SPACE))
                indents.append(indent)
            header = table.rows[0]._tr.trPr
            repeats = header is not None and header.find(docx.oxml.ns.qn("w:tblHeader")) is not None
            out.append({"table": rows, "indentSpaces": indents, "headerRepeats": repeats})
    return out


def libreoffice_opens(path):
    """'converted to text' when headless LibreOffice converts the file, else why not."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return "LibreOffice not installed"
    with tempfile.TemporaryDirectory() as folder:
        profile = "file://" + os.path.join(folder, "profile")
        run = subprocess.run([soffice, "-env:UserInstallation=" + profile, "--headless", "--convert-to", "txt:Text",
                              "--outdir", folder, path], capture_output=True, text=True, timeout=300)
        converted = os.path.join(folder, os.path.splitext(os.path.basename(path))[0] + ".txt")
        if run.returncode != 0 or not os.path.exists(converted):
            return "LibreOffice failed: " + (run.stderr or run.stdout).strip()
        with open(converted, encoding="utf-8-sig") as f:
            text = f.read()
        # The text export lists every cell; the first header cell and the title must be there.
        return "converted to text" if "Characteristic" in text or len(text) > 100 else "converted, but empty"


def libreoffice_report(path):
    """The report.docx converted to .odt by headless LibreOffice: its tables and pictures as kept."""
    import zipfile
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return {"converted": False, "why": "LibreOffice not installed"}
    with tempfile.TemporaryDirectory() as folder:
        profile = "file://" + os.path.join(folder, "profile")
        run = subprocess.run([soffice, "-env:UserInstallation=" + profile, "--headless", "--convert-to", "odt",
                              "--outdir", folder, path], capture_output=True, text=True, timeout=300)
        converted = os.path.join(folder, "report.odt")
        if run.returncode != 0 or not os.path.exists(converted):
            return {"converted": False, "why": (run.stderr or run.stdout).strip()}
        with zipfile.ZipFile(converted) as odt:
            pictures = sorted(os.path.splitext(n)[1] for n in odt.namelist() if n.startswith("Pictures/"))
            content = odt.read("content.xml").decode("utf-8")
        return {"converted": True, "tables": content.count("<table:table "), "pictureTypes": sorted(set(pictures)),
                "version": subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()}


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "table1.docx")
        subprocess.run([COHORT] + ARGUMENTS + ["--format", "docx", "--out", path], cwd=ROOT, check=True)
        document = docx.Document(path)
        result = {
            "command": "cohort " + " ".join(ARGUMENTS) + " --format docx --out table1.docx",
            "reader": "python-docx " + getattr(docx, "__version__", "unknown"),
            "libreoffice": libreoffice_opens(path),
            "blocks": blocks(document),
        }
        report = os.path.join(folder, "report")
        subprocess.run([COHORT, "report", "Datasets/johnsrud2021/study.yaml", "--out", report, "--format-set", "md,docx"],
                       cwd=ROOT, check=True, capture_output=True)
        read = docx.Document(os.path.join(report, "report.docx"))
        result["report"] = {"command": "cohort report Datasets/johnsrud2021/study.yaml --out report --format-set md,docx",
                            "pythonDocx": {"tables": len(read.tables), "inlinePictures": len(read.inline_shapes)},
                            "libreoffice": libreoffice_report(os.path.join(report, "report.docx"))}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(OUT, ROOT), "-", result["libreoffice"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
