import DivideCore
import Foundation

/// The analysis set's papers in compact form (index-aligned with the tally's ids), for the
/// estimates that need paper-level records rather than counters: resolution sensitivity,
/// shift-share, the venue-adjusted regression, reliance over all papers and coverage.
public struct EstimateRecords {
    public struct Paper {
        public let year: Int
        /// Index into `venues` / `topics`.
        public let venue: Int32
        public let topic: Int32
        /// Index in `teamTypeOrder` of the paper's own team type (partially resolved ones included).
        public let teamType: Int8
        public let resolution: Resolution
        public let computeIntensive: Bool
        public let computeIntensiveFixed: Bool
        public let anyIndustry: Bool
        public let fmRole: FMRole?
        public let reliance: RelianceFlags

        public var fullyResolved: Bool { resolution == .full }
        public var academicOnly: Bool { teamType == 0 }
    }

    public enum Resolution: UInt8 { case full, partial, none }
    public enum FMRole: UInt8 { case developing, using }

    /// Which kinds of pre-trained model a paper mentions (mentions dated after the paper left out).
    public struct RelianceFlags: OptionSet {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let any = RelianceFlags(rawValue: 1)
        public static let industryOpen = RelianceFlags(rawValue: 2)
        public static let industryClosed = RelianceFlags(rawValue: 4)
        public static let academicOrNonprofit = RelianceFlags(rawValue: 8)
    }

    public private(set) var papers: [Paper] = []
    public private(set) var venues: [String] = []
    public private(set) var topics: [String] = []
    private var venueIndex: [String: Int32] = [:]
    private var topicIndex: [String: Int32] = [:]

    public init() {}

    mutating func add(_ paper: PaperFacts, year: Int) {
        var flags: RelianceFlags = []
        for m in paper.countedMentions {
            flags.insert(.any)
            if m.developerSectors == [.industry] { flags.insert(m.openWeights ? .industryOpen : .industryClosed) }
            if m.developerSectors.contains(.academia) || m.developerSectors.contains(.nonprofit) { flags.insert(.academicOrNonprofit) }
        }
        papers.append(Paper(
            year: year, venue: intern(paper.venue, &venues, &venueIndex), topic: intern(paper.topic, &topics, &topicIndex),
            teamType: Int8(teamTypeOrder.firstIndex(of: paper.teamType) ?? teamTypeOrder.count),
            resolution: Resolution(paper.teamResolution), computeIntensive: paper.computeIntensive,
            computeIntensiveFixed: paper.computeIntensiveFixed,
            anyIndustry: paper.anyIndustry,
            fmRole: paper.fmRole.flatMap { $0 == "developing" ? .developing : $0 == "using" ? .using : nil },
            reliance: flags))
    }

    private func intern(_ s: String, _ list: inout [String], _ index: inout [String: Int32]) -> Int32 {
        if let i = index[s] { return i }
        let i = Int32(list.count)
        list.append(s)
        index[s] = i
        return i
    }
}

extension EstimateRecords.Resolution {
    init(_ text: String) {
        switch text {
        case "full": self = .full
        case "partial": self = .partial
        default: self = .none
        }
    }
}

/// The paper groups the estimates are computed for.
public enum EstimateGroup: String, CaseIterable, Sendable {
    case all = "all papers"
    case computeIntensive = "compute-intensive"
    case other = "other topics"
    case computeIntensiveFixed = "compute-intensive (fixed set)"
    case foundationModels = "foundation-models"
    case fmDeveloping = "foundation-models: developing"
    case fmUsing = "foundation-models: using"

    func contains(_ p: EstimateRecords.Paper, topics: [String]) -> Bool {
        switch self {
        case .all: return true
        case .computeIntensive: return p.computeIntensive
        case .other: return !p.computeIntensive
        case .computeIntensiveFixed: return p.computeIntensiveFixed
        case .foundationModels: return topics[Int(p.topic)] == "foundation-models"
        case .fmDeveloping: return topics[Int(p.topic)] == "foundation-models" && p.fmRole == .developing
        case .fmUsing: return topics[Int(p.topic)] == "foundation-models" && p.fmRole == .using
        }
    }
}

/// A span of years, written `2015–2018` (or `2019` for one year).
public struct YearSpan: Hashable, Sendable, CustomStringConvertible {
    public let from: Int, to: Int
    public init(_ from: Int, _ to: Int) {
        self.from = from
        self.to = to
    }

    /// `2015-2018` or `2015–2018` or `2019`; nil when not a span of years.
    public init?(parsing text: String) {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "–" }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...2).contains(parts.count), let a = Int(parts[0]), let b = Int(parts.last!), a <= b else { return nil }
        self.init(a, b)
    }

    public func contains(_ year: Int) -> Bool { from <= year && year <= to }
    public var description: String { from == to ? String(from) : "\(from)–\(to)" }
    var columns: [JSONValue] { [.string(description), .int(from), .int(to)] }
}

/// The periods of the paper estimates: the shift-share periods and the summary's spans.
public struct EstimatePeriods: Sendable {
    public var before: YearSpan
    public var after: YearSpan
    public init(before: YearSpan = YearSpan(2015, 2018), after: YearSpan = YearSpan(2021, 2025)) {
        self.before = before
        self.after = after
    }

    /// Every period with rows of its own: the two compared periods and the report's summary spans.
    var reported: [YearSpan] {
        var out: [YearSpan] = []
        for s in [YearSpan(2012, 2016), before, YearSpan(2020, 2025), after] where !out.contains(s) { out.append(s) }
        return out
    }
}
