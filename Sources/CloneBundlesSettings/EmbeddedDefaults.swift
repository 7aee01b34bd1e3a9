/// The settings `generate` uses without `--config`: a local bundle store and repos under the
/// current directory. Kept identical to `config/pipeline.default.yml` (a test checks it).
public enum EmbeddedDefaults {
    public static let pipelineYAML = #"""
        # clonebundles pipeline settings: the embedded default.
        #
        # `clonebundles generate` uses exactly this when no --config is given. Relative paths are
        # resolved against the current directory (for a settings file: against the file's directory).
        # Every key is documented in docs/configuration.md.

        repo_root: repos            # repo list names are relative to this directory
        bundle_root: bundles        # generated bundles, index, run report, lastrun
        repos_file: bundles.repos   # the repo list
        hg: hg                      # looked up in PATH
        hg_timeout_seconds: 21600

        bundle_types:
          - name: zstd-max
            hg_type: zstd-v2
            compression_level: 20
            compression_threads: 4
          - name: zstd
            hg_type: zstd-v2
          - name: gzip-v2
            hg_type: gzip-v2
          - name: stream-v2
            hg_type: none-v2;stream=v2
            stream: true

        default_types: [zstd, gzip-v2, stream-v2]
        zstd_max: {replaces: zstd, with: zstd-max}
        manifest_order: [zstd-max, zstd, gzip-v2, stream-v2]

        stores:
          - name: local
            kind: local
            directory: bundles/public     # serve this directory at url_base
            url_base: http://127.0.0.1:8000

        replication:
          command: []                   # no mirrors here; the reference deployment runs `hg replicatesync`

        concurrency:
          generation: 0                 # hg processes at once; 0 = number of cores
          store_operations: 8

        """#
}
