import ArgumentParser
import CloneBundlesGenerate
import CloneBundlesSettings
import CloneBundlesSystem
import Foundation

/// Turns a library error into one clear message on standard error and the documented exit status
/// (see the root command's help).
enum CommandFailure {
    static func report(_ error: any Error) -> ExitCode {
        FileHandle.standardError.write(Data("clonebundles: \(error)\n".utf8))
        switch error {
        case is ConfigError, is StorePreflightError: return ExitCode(2)
        case is LockError: return ExitCode(3)
        case is FileReadError: return ExitCode(4)
        case is Interruption.Interrupted: return ExitCode(130)
        default: return ExitCode(1)
        }
    }
}
