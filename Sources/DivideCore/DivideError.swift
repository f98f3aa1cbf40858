/// The one way a stage reports a problem: a single line naming the file, the record and the reason.
public struct DivideError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let location: String?
    public let reason: String

    public init(file: String, location: String? = nil, reason: String) {
        self.file = file
        self.location = location
        self.reason = reason
    }

    public var description: String {
        if let location { return "\(file): \(location): \(reason)" }
        return "\(file): \(reason)"
    }
}
