import DivideCore
import Foundation

/// Merges NDJSON gzip files into one, every line checked to be JSON (an invalid line stops the
/// stage, naming file and line). Files that are whole lines with none blank, as the aggregate
/// stage writes them, are passed on as the gzip data they are: the merged file is their gzip
/// members one after the other (a valid gzip file holding the same lines), so 35 MB of drill-down
/// are not deflated again. Other files have their lines re-serialized and blank lines dropped.
enum DrilldownMerge {
    static func merge(_ files: [String], into path: String) throws {
        if try files.allSatisfy(isWholeLines) {
            try concatenate(files, into: path)
        } else {
            let writer = try NDJSONWriter(path: path)
            for file in files { try NDJSONReader(path: file).forEach { value, _ in try writer.write(value) } }
            try writer.commit()
        }
    }

    /// Checks every line is JSON; true when the file ends in a newline and has no blank line.
    static func isWholeLines(_ file: String) throws -> Bool {
        let lines = try LineReader(path: file)
        var blank = false
        try lines.forEachLine { line in
            if line.isEmpty { blank = true; return }
            do { _ = try JSONParser.parse(line) } catch let error as JSONParser.SyntaxError {
                throw DivideError(file: file, location: "line \(lines.lineNumber)", reason: error.description)
            }
        }
        return !blank && !lines.lastLineUnterminated
    }

    private static func concatenate(_ files: [String], into path: String) throws {
        let out = try AtomicFile(path: path)
        guard FileManager.default.createFile(atPath: out.temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: out.temporaryPath) else {
            throw DivideError(file: path, reason: "cannot write temporary file")
        }
        for file in files { try handle.write(contentsOf: try Data(contentsOf: URL(fileURLWithPath: file))) }
        try handle.close()
        try out.commit()
    }
}
