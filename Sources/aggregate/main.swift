import DivideCommands
import Foundation

// STRICT=1 (Make's STRICT) has the same effect as --strict.
exit(StageMain.run(AggregateCommand.self, strict: ProcessInfo.processInfo.environment["STRICT"] == "1"))
