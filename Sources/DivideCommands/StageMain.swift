import ArgumentParser
import DivideCore
import Foundation

/// Options every stage command has.
public struct StageFlags: ParsableArguments {
    @Flag(help: "Fail with exit status 3 when any record or file is rejected (Make: STRICT=1).")
    public var strict = false
    @Option(help: ArgumentHelp("Largest inflated size of a file read whole or of an HTTP body, in bytes; a larger one is rejected (default \(InputBudget.defaults.maxFileBytes); Make and environment: MAX_FILE_BYTES)."))
    public var maxFileBytes: Int?
    @Option(help: ArgumentHelp("Largest record (a line, a JSON array element, an XML element's text), in bytes; a larger one is rejected (default \(InputBudget.defaults.maxRecordBytes); Make and environment: MAX_RECORD_BYTES)."))
    public var maxRecordBytes: Int?
    @Option(help: ArgumentHelp("Most authors of one paper; a paper with more is rejected (default \(InputBudget.defaults.maxAuthors); Make and environment: MAX_AUTHORS)."))
    public var maxAuthors: Int?

    public init() {}

    /// The input budget: each cap from its option, else its environment variable (Make exports
    /// them, as STRICT), else the default.
    public func budget(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> InputBudget {
        func cap(_ option: Int?, _ variable: String, _ fallback: Int) throws -> Int {
            if let option, option > 0 { return option }
            if let option { throw DivideError(file: "--" + variable.lowercased().replacingOccurrences(of: "_", with: "-"), reason: "must be positive, not \(option)") }
            guard let text = environment[variable], !text.isEmpty else { return fallback }
            guard let value = Int(text), value > 0 else { throw DivideError(file: variable, reason: "must be a positive integer, not '\(text)'") }
            return value
        }
        let d = InputBudget.defaults
        return InputBudget(maxFileBytes: try cap(maxFileBytes, "MAX_FILE_BYTES", d.maxFileBytes),
                           maxRecordBytes: try cap(maxRecordBytes, "MAX_RECORD_BYTES", d.maxRecordBytes),
                           maxAuthors: try cap(maxAuthors, "MAX_AUTHORS", d.maxAuthors))
    }
}

/// A stage command: its `run(options:)` calls the stage's library function.
public protocol StageCommand: ParsableCommand {
    var flags: StageFlags { get }
    func run(options: StageOptions) throws
}

extension StageCommand {
    public func run() throws {
        InputBudget.current = try flags.budget()
        try run(options: StageOptions(strict: flags.strict))
    }
}

/// What an executable does with its command line: parse it, run the stage, and map the outcome
/// to an exit status: 0 done, 1 error (one line `<stage>: error: <file>: <reason>`), 3 rejects
/// under STRICT, 64 usage (unknown option, missing argument: argument-parser's message).
public enum StageMain {
    public static func run<Command: ParsableCommand>(_ root: Command.Type, arguments: [String] = Array(CommandLine.arguments.dropFirst()),
                                                     strict: Bool = false) -> Int32 {
        var command: ParsableCommand
        do {
            command = try root.parseAsRoot(arguments)
        } catch {
            return usage(root, error, arguments: arguments)
        }
        do {
            if let stage = command as? StageCommand {
                InputBudget.current = try stage.flags.budget()
                try stage.run(options: StageOptions(strict: strict || stage.flags.strict))
            } else {
                try command.run()
            }
            return 0
        } catch let failure as StageFailure {
            printError(failure.line)
            return failure.exitCode
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch where [.success, .validationFailure].contains(root.exitCode(for: error)) {
            // `--help` and `help <subcommand>` are answered by argument-parser's help command,
            // which reports them as errors when run.
            return usage(root, error, arguments: arguments)
        } catch {
            printError("\(root.configuration.commandName ?? "stage"): error: \(plainMessage(error))")
            return 1
        }
    }

    /// argument-parser's message for a command line it could not parse; help goes to stdout.
    static func usage<Command: ParsableCommand>(_ root: Command.Type, _ error: Error, arguments: [String]) -> Int32 {
        let code = root.exitCode(for: error)
        var message = root.fullMessage(for: error)
        // An unknown option is the mistake to report, not the required option it was meant to be.
        if code != .success, let (unknown, command) = unknownOption(root, arguments) {
            message = "Error: unknown option '\(unknown)'\n" + root.helpMessage(for: command, columns: nil)
                .split(separator: "\n").filter { $0.hasPrefix("USAGE:") }.joined(separator: "\n")
        }
        if code == .success {
            print(message)
        } else {
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        return code.rawValue
    }

    /// The first `--name` in `arguments` that the subcommand they name does not take.
    static func unknownOption<Command: ParsableCommand>(_ root: Command.Type, _ arguments: [String]) -> (String, ParsableCommand.Type)? {
        var command: ParsableCommand.Type = root
        for argument in arguments where !argument.hasPrefix("-") {
            guard let sub = command.configuration.subcommands.first(where: { $0._commandName == argument }) else { break }
            command = sub
        }
        let help = root.helpMessage(for: command, columns: 1000)
        for argument in arguments where argument.hasPrefix("--") && argument != "--help" {
            let name = String(argument.split(separator: "=", maxSplits: 1)[0])
            if !help.split(whereSeparator: { " ,=<>[]\n".contains($0) }).contains(Substring(name)) {
                return (name, command)
            }
        }
        return nil
    }
}
