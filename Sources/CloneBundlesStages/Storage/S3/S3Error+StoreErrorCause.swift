public import CloneBundlesPipeline
public import CloneBundlesS3

/// A bucket failing every object for one reason is reported once per store and cause. Declared
/// here: the S3 part knows no pipeline, and the pipeline no S3; this module knows both.
extension S3Error: StoreErrorCause {}
