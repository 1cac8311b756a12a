//! `accord sink`: alert deliveries the receiver refused for good (4xx),
//! read from NATS directly (stream `<STREAM>_SINK_PARKED`).

use anyhow::Context;
use clap::{Args, Subcommand};

#[derive(Subcommand)]
pub enum Sink {
    /// Parked deliveries, oldest first, with the receiver's answer.
    Parked,
    /// Post them again (after fixing the receiver or its config); each one
    /// taken is unparked, the others stay.
    Replay {
        /// The receiver (Alertmanager base URL).
        #[arg(long, env = "ACCORD_ALERTMANAGER_URL")]
        alertmanager_url: String,
        /// Base URL for links in alerts (generatorURL), as `accord up` has it.
        #[arg(
            long,
            env = "ACCORD_PUBLIC_URL",
            default_value = "http://127.0.0.1:9464"
        )]
        public_url: String,
    },
}

#[derive(Args)]
pub struct SinkArgs {
    #[command(subcommand)]
    what: Sink,
    /// NATS server URL.
    #[arg(
        long = "nats",
        env = "NATS_URL",
        default_value = "nats://127.0.0.1:4222",
        global = true
    )]
    nats: String,
    #[command(flatten)]
    nats_auth: crate::nats::NatsArgs,
    /// JetStream stream holding the event log.
    #[arg(long, env = "ACCORD_STREAM", default_value = "ACCORD", global = true)]
    stream: String,
    /// The sink's name (`accord up --sink-name`).
    #[arg(
        long,
        env = "ACCORD_SINK_NAME",
        default_value = "alertmanager",
        global = true
    )]
    sink_name: String,
}

pub async fn sink(args: SinkArgs) -> anyhow::Result<()> {
    let mut config = accord_bus::BusConfig::new(args.nats.clone());
    config.stream = args.stream;
    config.auth = args.nats_auth.auth();
    let bus = accord_bus::Bus::connect(config)
        .await
        .with_context(|| format!("connect to NATS at {}", accord_bus::redacted(&args.nats)))?;
    match args.what {
        Sink::Parked => {
            let parked = accord_alertmanager::parked(&bus, &args.sink_name).await?;
            for p in &parked {
                println!("{:>8}  {:<40} {}", p.position, p.alert_id, p.reason);
            }
            println!(
                "{} parked deliver{} (sink {})",
                parked.len(),
                if parked.len() == 1 { "y" } else { "ies" },
                args.sink_name
            );
        }
        Sink::Replay {
            alertmanager_url,
            public_url,
        } => {
            let mut sink = accord_alertmanager::SinkConfig::new(alertmanager_url);
            sink.name = args.sink_name;
            sink.generator_url = public_url;
            let (delivered, left) = accord_alertmanager::replay_parked(&bus, &sink).await?;
            println!("{delivered} delivered, {left} still parked");
        }
    }
    Ok(())
}
