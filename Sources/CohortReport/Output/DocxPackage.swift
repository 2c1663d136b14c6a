import Foundation
import ZIPFoundation

/// A `.docx` file: the smallest package Word and LibreOffice open without repair (issue 18) —
/// `[Content_Types].xml`, `_rels/.rels`, `word/document.xml`, `word/styles.xml`,
/// `word/_rels/document.xml.rels`, and for each figure its SVG and a PNG fallback under `word/media/`.
///
/// The bytes depend only on the document: parts in a fixed order, every entry dated 1980-01-01
/// 00:00 (the first date a ZIP holds; ZIPFoundation converts it with `gmtime`, so the time zone
/// does not matter), fixed permissions, and stored rather than deflated, so that they do not
/// depend on the zlib build either (a Table 1 is tens of kilobytes; Word accepts stored parts).
public enum DocxPackage {
    /// Thrown only if ZIPFoundation fails to write into memory.
    public struct PackageError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The `.docx` of `blocks`.
    public static func bytes(_ blocks: [DocxBlock]) throws(PackageError) -> [UInt8] {
        let figures = blocks.compactMap { block -> String? in
            if case .figure(_, let svg) = block { return svg }
            return nil
        }
        return try bytes(documentXML: DocxRenderer.document(blocks), figureSVGs: figures)
    }

    /// The `.docx` around a `word/document.xml` that ``TableFormat/docx`` rendered (tables only,
    /// so no figures), or around one made with figures, whose SVGs are `figureSVGs` in order.
    public static func bytes(documentXML: String, figureSVGs: [String] = []) throws(PackageError) -> [UInt8] {
        var parts: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(contentTypes.utf8)),
            ("_rels/.rels", Array(packageRelationships.utf8)),
            ("word/document.xml", Array(documentXML.utf8)),
            ("word/_rels/document.xml.rels", Array(documentRelationships(figures: figureSVGs.count).utf8)),
            ("word/styles.xml", Array(styles.utf8)),
        ]
        for (index, svg) in figureSVGs.enumerated() {
            parts.append(("word/media/figure-\(index + 1).svg", Array(svg.utf8)))
        }
        if !figureSVGs.isEmpty { parts.append(("word/media/fallback.png", blankPNG)) }
        return try zip(parts)
    }

    /// 1980-01-01 00:00 UTC, the modification time of every entry.
    static let zipEpoch = Date(timeIntervalSince1970: 315_532_800)

    /// `parts` as a ZIP archive, in the order given.
    static func zip(_ parts: [(path: String, bytes: [UInt8])]) throws(PackageError) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for part in parts {
                let data = Data(part.bytes)
                try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: zipEpoch,
                                     permissions: 0o644, compressionMethod: .none) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw PackageError(description: "the Word package was not written") }
            return [UInt8](data)
        } catch let error as PackageError {
            throw error
        } catch {
            throw PackageError(description: "cannot write the Word package: \(error)")
        }
    }

    /// The relationship ids of figure `n` (from 1): its PNG fallback and its SVG. The one place
    /// ``DocxRenderer`` and the relationships part agree on them.
    static func figureRelationshipIds(_ n: Int) -> (png: String, svg: String) { ("rIdFigure\(n)png", "rIdFigure\(n)svg") }

    /// An SVG's `width` and `height` in pixels, from its root element (as ``SVGDocument`` writes
    /// it); 640 by 480 when absent.
    static func size(ofSVG svg: String) -> (width: Double, height: Double) {
        guard let start = svg.range(of: "<svg"), let end = svg[start.upperBound...].firstIndex(of: ">") else { return (640, 480) }
        let tag = svg[start.upperBound..<end]
        func attribute(_ name: String) -> Double? {
            guard let r = tag.range(of: " \(name)=\"") else { return nil }
            return Double(tag[r.upperBound...].prefix { $0 != "\"" })
        }
        return (attribute("width") ?? 640, attribute("height") ?? 480)
    }

    /// A 1 by 1 white greyscale PNG (IHDR, one IDAT of zlib level 9, IEND), written once by hand:
    /// the fallback a reader without SVG support shows. Its bytes never change.
    static let blankPNG: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41,
        0x54, 0x78, 0xDA, 0x63, 0xF8, 0x0F, 0x00, 0x01, 0x01, 0x01, 0x00, 0x1C, 0xB0, 0x8C, 0x99, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]

    static let xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let contentTypes = xmlHeader
        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        + "<Default Extension=\"png\" ContentType=\"image/png\"/>"
        + "<Default Extension=\"svg\" ContentType=\"image/svg+xml\"/>"
        + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
        + "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
        + "</Types>\n"

    static let packageRelationships = xmlHeader
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"\(relationshipType)/officeDocument\" Target=\"word/document.xml\"/>"
        + "</Relationships>\n"

    static func documentRelationships(figures: Int) -> String {
        var out = xmlHeader + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        out += "<Relationship Id=\"rIdStyles\" Type=\"\(relationshipType)/styles\" Target=\"styles.xml\"/>"
        for n in stride(from: 1, through: figures, by: 1) {
            let ids = figureRelationshipIds(n)
            out += "<Relationship Id=\"\(ids.png)\" Type=\"\(relationshipType)/image\" Target=\"media/fallback.png\"/>"
            out += "<Relationship Id=\"\(ids.svg)\" Type=\"\(relationshipType)/image\" Target=\"media/figure-\(n).svg\"/>"
        }
        return out + "</Relationships>\n"
    }
}
