/// Whether hg commands go through chg, the client of hg's command server shipped with
/// Mercurial: a long-lived hg process forks a worker per command, so a command costs about 20 ms
/// of start instead of about 150 ms of Python start and imports (docs/performance.md).
public enum HgCommandServer: String, Sendable, CaseIterable {
    /// chg when an executable `chg` sits next to the configured hg (Debian's mercurial package
    /// installs both in /usr/bin), else hg itself.
    case auto
    /// chg, required: a run without one next to hg is a settings error.
    case chg
    /// hg itself, one process per command.
    case none
}
