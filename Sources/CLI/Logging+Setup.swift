import Logging

/// The one logger of the process: one line per event on standard error (journald keeps it),
/// with its metadata (`repo=`, `type=`, `bytes=`, `seconds=`), leaving out empty values. stdout
/// stays for command output.
func makeLogger(level: Logger.Level) -> Logger {
    var logger = Logger(label: "clonebundles", factory: { label in LineLogHandler(label: label) })
    logger.logLevel = level
    return logger
}
