//! Optional OpenTelemetry trace export over OTLP/HTTP (protobuf), off
//! unless `--otlp-endpoint` (or `OTEL_EXPORTER_OTLP_ENDPOINT`) is given.
//!
//! The `tracing` spans Accord already has (`request`, `ingest`, `append`,
//! `project`, …) become OpenTelemetry spans of service `accord`; the
//! batch exporter sends them from a thread of its own, and
//! [`Exporter::shutdown`] flushes what is left when the command ends.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry::KeyValue;
use opentelemetry_otlp::{SpanExporter, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::trace::SdkTracerProvider;
use opentelemetry_sdk::Resource;
use tracing::{Metadata, Subscriber};
use tracing_subscriber::layer::{Filter, Layer};
use tracing_subscriber::registry::LookupSpan;

/// The traces URL for an OTLP base endpoint: `OTEL_EXPORTER_OTLP_ENDPOINT`
/// is a base URL, to which OTLP/HTTP appends `/v1/traces`; a URL that
/// already ends in `/v1/traces` is used as it is.
pub fn traces_url(endpoint: &str) -> String {
    let endpoint = endpoint.trim();
    if endpoint.trim_end_matches('/').ends_with("/v1/traces") {
        endpoint.to_owned()
    } else {
        format!("{}/v1/traces", endpoint.trim_end_matches('/'))
    }
}

/// The running exporter.
pub struct Exporter {
    provider: SdkTracerProvider,
}

impl Exporter {
    /// Starts exporting to `endpoint`, the spans described by `resource`
    /// attributes besides `service.name = accord`. Must be called outside
    /// of an async runtime (the HTTP client is a blocking one).
    pub fn start(endpoint: &str, attributes: Vec<KeyValue>) -> anyhow::Result<Exporter> {
        // Our client, not the exporter's own: reqwest has no crypto provider
        // of its own here (accord-http-client). OTLP's default timeout.
        let http = accord_http_client::blocking_builder(&[])?
            .timeout(std::time::Duration::from_secs(10))
            .build()?;
        let exporter = SpanExporter::builder()
            .with_http()
            .with_http_client(http)
            .with_endpoint(traces_url(endpoint))
            .build()?;
        let resource = Resource::builder()
            .with_service_name("accord")
            .with_attributes(attributes)
            .build();
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource)
            .build();
        Ok(Exporter { provider })
    }

    /// The `tracing` layer that hands spans to this exporter: Accord's own
    /// spans from debug level (`append`, `project`), everything else and
    /// events (span events in OpenTelemetry) from info level.
    pub fn layer<S>(&self) -> impl Layer<S>
    where
        S: Subscriber + for<'a> LookupSpan<'a>,
    {
        tracing_opentelemetry::layer()
            .with_tracer(self.provider.tracer("accord"))
            .with_filter(Exported)
    }

    /// Exports the spans still buffered and stops the exporter.
    pub fn shutdown(self) {
        if let Err(e) = self.provider.shutdown() {
            eprintln!("warning: OTLP trace export did not shut down cleanly: {e}");
        }
    }
}

struct Exported;

impl<S> Filter<S> for Exported {
    fn enabled(&self, meta: &Metadata<'_>, _: &tracing_subscriber::layer::Context<'_, S>) -> bool {
        exported(meta)
    }

    fn callsite_enabled(&self, meta: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        if exported(meta) {
            tracing::subscriber::Interest::always()
        } else {
            tracing::subscriber::Interest::never()
        }
    }
}

fn exported(meta: &Metadata<'_>) -> bool {
    if meta.is_span() && meta.target().starts_with("accord") {
        *meta.level() <= tracing::Level::DEBUG
    } else {
        *meta.level() <= tracing::Level::INFO
            && !meta.target().starts_with("opentelemetry")
            && !meta.target().starts_with("reqwest")
            && !meta.target().starts_with("hyper")
    }
}

#[cfg(test)]
mod tests {
    use super::traces_url;

    /// The exporter builds in a process with no rustls crypto provider
    /// installed (it would panic inside reqwest if it built its own client).
    #[test]
    fn the_exporter_builds_without_a_process_wide_crypto_provider() {
        for endpoint in ["http://127.0.0.1:4318", "https://collector.example:4318"] {
            let exporter = super::Exporter::start(endpoint, vec![]).unwrap();
            exporter.shutdown();
        }
    }

    #[test]
    fn base_endpoints_get_the_traces_path() {
        assert_eq!(
            traces_url("http://127.0.0.1:4318"),
            "http://127.0.0.1:4318/v1/traces"
        );
        assert_eq!(
            traces_url("http://collector:4318/"),
            "http://collector:4318/v1/traces"
        );
        assert_eq!(
            traces_url("http://collector:4318/v1/traces"),
            "http://collector:4318/v1/traces"
        );
    }
}
