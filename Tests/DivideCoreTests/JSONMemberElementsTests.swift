import DivideCore
import Testing

/// The array under one member of an object, element by element: an element over the size limit
/// comes as nil, the other members come back whole, and a member that is not an array stays.
@Test func memberArrayIsReadElementByElement() throws {
    var seen: [String] = []
    let page = Array(#"{"meta": {"count": 3}, "results": [{"id": "W1"}, {"id": "W2", "pad": "xxxxxxxxxxxxxxxxxxxx"}, 7], "next": null}"#.utf8)
    let found = try #require(try JSONParser.forEachElement(ofMember: "results", in: page, maxElementBytes: 20) { index, element, size in
        seen.append("\(index):\(element?["id"]?.stringValue ?? element?.stringValue ?? "nil"):\(size)")
    })
    #expect(seen == ["0:W1:12", "1:nil:43", "2:7:1"])
    #expect(found.iterated)
    #expect(found.rest == .object([("meta", .object([("count", .int(3))])), ("next", .null)]))

    let single = try #require(try JSONParser.forEachElement(ofMember: "results", in: Array(#"{"id": "W9", "results": 3}"#.utf8)) { _, _, _ in Issue.record("no array") })
    #expect(!single.iterated && single.rest["results"] == .int(3))
    #expect(try JSONParser.forEachElement(ofMember: "results", in: Array("[1, 2]".utf8)) { _, _, _ in } == nil)
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.forEachElement(ofMember: "results", in: Array(#"{"results": [1, }"#.utf8)) { _, _, _ in } }
}
