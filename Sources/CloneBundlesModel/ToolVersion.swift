/// The version of `clonebundles`, in one place: `clonebundles --version` prints it and every run
/// report carries it, so a report says which build wrote it.
public enum ToolVersion {
    public static let current = "0.1.0"
}
