/// The settings `generate` uses without `--config`: a local bundle store and repos under the
/// current directory. `config/pipeline.default.yml` itself, compiled into the binary (a resource
/// embedded in code; `pipeline.default.yml` in this target links to it), so the shipped file and
/// the defaults cannot drift apart.
public enum EmbeddedDefaults {
    public static let pipelineYAML = String(decoding: PackageResources.pipeline_default_yml, as: UTF8.self)
}
