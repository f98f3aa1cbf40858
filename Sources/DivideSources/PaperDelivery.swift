import DivideCore

/// What a streaming source handler hands back for each paper-shaped element.
enum PaperOutcome {
    case paper(PaperRecord)
    case rejected(location: String, reason: String, excerpt: String)
}

/// Bridges a SAX handler's non-throwing per-paper callback to a caller's throwing `emit` and
/// `reject`: the first error stops delivery and is rethrown once parsing returns.
func deliverPapers(
    emit: (PaperRecord) throws -> Void,
    reject: (_ location: String, _ reason: String, _ excerpt: String) throws -> Void,
    install: (@escaping (PaperOutcome) -> Void) -> Void,
    parse: () throws -> Void
) throws {
    var failure: Error?
    try withoutActuallyEscaping(emit) { emit in
        try withoutActuallyEscaping(reject) { reject in
            install { outcome in
                guard failure == nil else { return }
                do {
                    switch outcome {
                    case let .paper(record): try emit(record)
                    case let .rejected(location, reason, excerpt): try reject(location, reason, excerpt)
                    }
                } catch { failure = error }
            }
            defer { install { _ in } }
            try parse()
        }
    }
    if let failure { throw failure }
}
