import CohortData

/// What a Word document holds, in order: headings, tables and figures (issue 18).
public enum DocxBlock: Sendable {
    /// A heading (a report's study title, an output's name).
    case heading(String)
    case table(ReportTable)
    /// A figure: its caption and its SVG, embedded as drawn (``DocxPackage`` adds the PNG fallback).
    case figure(title: String, svg: String)
}

/// WordprocessingML for `word/document.xml`: one Word table per ``ReportTable``, journal style.
///
/// - The title is a paragraph above the table, the preamble lines under it, kept with the table.
/// - The header row repeats on every page (`w:tblHeader`) and is bold, aligned as its column.
/// - Horizontal rules only: above the header, below it and below the last row (booktabs, as the
///   LaTeX and HTML renderings draw them); no vertical borders.
/// - Cells print the text Markdown prints (``ReportTable/text(ofCell:)``: `<5` for a suppressed
///   count, `—` for a withheld value); a level row's leading spaces become a left indent, since
///   Word, like Markdown, would show leading spaces unevenly in a proportional font.
/// - Notes are paragraphs under the table.
///
/// Text is escaped with ``MarkupEscaping`` (also showing control characters as escapes, which XML
/// forbids). Nothing here depends on a clock or a random number: no revision ids (`w:rsid`), no
/// dates, so the same tables give the same bytes.
enum DocxRenderer {
    /// Namespaces of the elements written; `asvg` only on the SVG extension that uses it.
    static let namespaces = [
        "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"",
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"",
        "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"",
        "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"",
        "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"",
    ].joined(separator: " ")

    /// Text width of a US Letter page with 1-inch margins, in twentieths of a point.
    static let textWidth = 9360

    /// The whole `word/document.xml`. Figure `n` (counting from 1 in `blocks`) refers to the
    /// relationships ``DocxPackage/figureRelationships(_:)`` writes for it.
    static func document(_ blocks: [DocxBlock]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        out += "<w:document \(namespaces)><w:body>\n"
        var figure = 0
        for block in blocks {
            switch block {
            case .heading(let text): out += paragraph(text, style: "Heading1")
            case .table(let table): write(table, into: &out)
            case .figure(let title, let svg):
                figure += 1
                out += drawing(figure, title: title, size: DocxPackage.size(ofSVG: svg))
                out += paragraph(title, style: "Caption")
            }
        }
        // US Letter, 1-inch margins (what Word's blank document uses in the US).
        out += "<w:sectPr><w:pgSz w:w=\"12240\" w:h=\"15840\"/>"
        out += "<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"720\" w:footer=\"720\" w:gutter=\"0\"/></w:sectPr>\n"
        out += "</w:body></w:document>\n"
        return out
    }

    static func escape(_ text: String) -> String { MarkupEscaping.escaped(text) }

    /// A paragraph of one run; `keepNext` holds it on the page of what follows (a title and its table).
    static func paragraph(_ text: String, style: String, keepNext: Bool = false) -> String {
        "<w:p><w:pPr><w:pStyle w:val=\"\(style)\"/>" + (keepNext ? "<w:keepNext/>" : "") + "</w:pPr>" + run(text) + "</w:p>\n"
    }

    static func run(_ text: String, bold: Bool = false) -> String {
        text.isEmpty ? "" : "<w:r>" + (bold ? "<w:rPr><w:b/></w:rPr>" : "") + "<w:t xml:space=\"preserve\">\(escape(text))</w:t></w:r>"
    }

    static let rule = "w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\""

    /// `table` appended to `out`: title, preamble, the table, notes, and an empty paragraph (Word
    /// joins two tables with nothing between them into one).
    static func write(_ table: ReportTable, into out: inout String) {
        out.reserveCapacity(out.utf8.count + table.cellBytes + table.cells.count * 120 + 4096)
        if let title = table.title { out += paragraph(title, style: "TableTitle", keepNext: true) }
        for line in table.preamble { out += paragraph(line, style: "TableNote", keepNext: true) }
        out += "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders>"
        out += "<w:top \(rule)/><w:left w:val=\"nil\"/><w:bottom \(rule)/><w:right w:val=\"nil\"/>"
        out += "<w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders><w:tblLayout w:type=\"autofit\"/>"
        out += "<w:tblLook w:val=\"0020\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr>"
        out += "<w:tblGrid>" + columnWidths(table).map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>\n"
        // The header row: repeated on each page, never split, a rule below it.
        out += "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        for column in table.columns {
            out += "<w:tc><w:tcPr><w:tcBorders><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tcBorders></w:tcPr>"
            out += cellParagraph(column.header, alignment: column.alignment, indent: 0, bold: true) + "</w:tc>"
        }
        out += "</w:tr>\n"
        for r in 0..<table.rowCount {
            out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            for (column, k) in zip(table.columns, table.row(r)) {
                var text = table.text(ofCell: k)
                let indent = column.alignment == .left ? text.prefix { $0 == " " }.count : 0
                if indent > 0 { text.removeFirst(indent) }
                out += "<w:tc>" + cellParagraph(text, alignment: column.alignment, indent: indent, bold: false) + "</w:tc>"
            }
            out += "</w:tr>\n"
        }
        out += "</w:tbl>\n"
        for note in table.notes { out += paragraph(note, style: "TableNote") }
        out += "<w:p/>\n"
    }

    /// One cell's paragraph; a leading space of the text formats is 120 twips (6 pt) of indent,
    /// about the width of two spaces, as the HTML rendering's 0.5 em a space.
    static func cellParagraph(_ text: String, alignment: ReportTable.Column.Alignment, indent: Int, bold: Bool) -> String {
        var out = "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/>"
        if indent > 0 { out += "<w:ind w:left=\"\(indent * 120)\"/>" }
        if alignment == .right { out += "<w:jc w:val=\"right\"/>" }
        return out + "</w:pPr>" + run(text, bold: bold) + "</w:p>"
    }

    /// Column widths in twips for the grid (what LibreOffice lays out by; Word autofits): shares of
    /// the text width by each column's longest text, at least 600 twips a column.
    static func columnWidths(_ table: ReportTable) -> [Int] {
        let n = table.columns.count
        var longest = table.columns.map { max($0.header.count, 4) }
        for k in table.cells.indices where table.text(ofCell: k).count > longest[k % n] {
            longest[k % n] = table.text(ofCell: k).count
        }
        let total = max(longest.reduce(0, +), 1)
        return longest.map { max(600, textWidth * $0 / total) }
    }

    /// An inline picture: the PNG fallback blip with the SVG as its `asvg:svgBlip` extension (the
    /// form Word 2016 and later write; older readers show the fallback). `size` in pixels at 96 dpi,
    /// scaled down to the text width.
    static func drawing(_ n: Int, title: String, size: (width: Double, height: Double)) -> String {
        let emuPerPixel = 9525.0, maxWidth = Double(textWidth) * 635
        let scale = min(1, maxWidth / max(size.width * emuPerPixel, 1))
        let cx = Int((size.width * emuPerPixel * scale).rounded()), cy = Int((size.height * emuPerPixel * scale).rounded())
        let ids = DocxPackage.figureRelationshipIds(n)
        var out = "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/><w:keepNext/></w:pPr><w:r><w:drawing>"
        out += "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/>"
        out += "<wp:docPr id=\"\(n)\" name=\"Figure \(n)\" descr=\"\(escape(title))\"/>"
        out += "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
        out += "<pic:nvPicPr><pic:cNvPr id=\"\(n)\" name=\"figure-\(n).svg\"/><pic:cNvPicPr/></pic:nvPicPr>"
        out += "<pic:blipFill><a:blip r:embed=\"\(ids.png)\"><a:extLst><a:ext uri=\"{96DAC541-7B7A-43D3-8B79-37D633B846F1}\">"
        out += "<asvg:svgBlip xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\" r:embed=\"\(ids.svg)\"/>"
        out += "</a:ext></a:extLst></a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        out += "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(cx)\" cy=\"\(cy)\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>"
        out += "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>\n"
        return out
    }
}
