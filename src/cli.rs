//! Command-line interface. Exit codes: 0 success, 1 a check found problems
//! (`patterns test`), 2 bad input or usage (message on stderr).

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use crate::demo;
use crate::gate::Gate;
use crate::proxy::{Proxy, server};
use crate::redact::packs::{self, PackSource};
use crate::redact::{HashKey, Redactor, selftest};
use crate::scan::{self, Format, Sink};
use crate::verify::http::admin::Admin;
use crate::verify::http::public::Public;
use crate::verify::http::{self as verify_http};
use crate::verify::keyring::Keyring;
use crate::verify::{Verifier, setup};

/// Environment variable holding the tag hash key, as hex.
pub const HASH_KEY_ENV: &str = "VEILGATE_HASH_KEY";

#[derive(Debug, Parser)]
#[command(
    name = "veilgate",
    version,
    about = "Redacts personal data and secrets from what support agents see."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Redact files (or standard input) to standard output.
    Scan(ScanArgs),
    /// Work with pattern packs.
    Patterns {
        #[command(subcommand)]
        command: PatternsCommand,
    },
    /// Run the redacting reverse proxy in front of a support tool.
    Serve(ServeArgs),
    /// Start a demo helpdesk full of fake customer data with veilgate in
    /// front of it, and print the URLs to compare.
    Demo(DemoArgs),
    /// Work with configuration files.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Enroll a customer for verification: prints the enrollment link, the
    /// otpauth:// URI and a QR code to scan.
    Enroll(EnrollArgs),
    /// Make and rotate the keys that seal TOTP secrets.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Debug, Args)]
struct EnrollArgs {
    /// The customer's e-mail address or external id.
    contact: String,
    /// The configuration file with a [verification] table.
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Replace an active enrollment of this contact.
    #[arg(long)]
    replace: bool,
    /// Import the customer's existing base32 secret, read from standard
    /// input (never from the command line, where others can see it).
    #[arg(long)]
    import: bool,
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Write a new keyring (to --out, created readable by you alone, or to
    /// standard output).
    Generate {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add a new key to verification.keyring_file, make it the active one
    /// and re-seal every stored secret with it. Restart veilgate after.
    Rotate {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Validate a configuration file; errors name the key.
    Check { file: PathBuf },
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The configuration file (see examples/).
    #[arg(long, value_name = "FILE", conflicts_with = "upstream")]
    config: Option<PathBuf>,
    /// Quick start: the tool's base URL, every other setting defaulted.
    #[arg(long, value_name = "URL", required_unless_present = "config")]
    upstream: Option<String>,
    /// With --upstream: the agent listener address (default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR", requires = "upstream")]
    listen: Option<SocketAddr>,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Where veilgate listens for agents.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Where the demo helpdesk listens (port 0 picks a free one).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8081")]
    helpdesk: SocketAddr,
}

#[derive(Debug, Subcommand)]
enum PatternsCommand {
    /// Validate packs and run every rule's examples.
    Test {
        /// A directory of packs; a pack named like a default one replaces it.
        dir: Option<PathBuf>,
        #[arg(long)]
        no_default_patterns: bool,
    },
}

#[derive(Debug, Args)]
struct PatternArgs {
    /// A directory of `*.toml` packs; a pack named like a default one
    /// replaces it, the others are added.
    #[arg(long, value_name = "DIR")]
    patterns: Option<PathBuf>,
    /// Use only the packs from `--patterns`.
    #[arg(long)]
    no_default_patterns: bool,
    /// A file holding the key (at least 16 bytes) for `[email:3f9a1c]` tags;
    /// also read as hex from VEILGATE_HASH_KEY. Without a key, no tags.
    #[arg(long, value_name = "FILE")]
    hash_key_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ScanArgs {
    #[command(flatten)]
    patterns: PatternArgs,
    #[arg(long, value_enum, default_value = "auto")]
    format: Format,
    /// Print one JSON line per finding (rule, class, action, byte span)
    /// instead of the redacted text. Values are never printed.
    #[arg(long)]
    explain: bool,
    /// Files to redact; none or `-` reads standard input.
    files: Vec<PathBuf>,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Patterns {
            command:
                PatternsCommand::Test {
                    dir,
                    no_default_patterns,
                },
        } => run_patterns_test(dir, no_default_patterns),
        Command::Serve(args) => run_serve(args),
        Command::Demo(args) => run_demo(args),
        Command::Config {
            command: ConfigCommand::Check { file },
        } => Config::load(&file)
            .map(|_| {
                println!("{}: ok", file.display());
                ExitCode::SUCCESS
            })
            .map_err(|e| format!("{}: {e}", file.display())),
        Command::Enroll(args) => run_enroll(args),
        Command::Keys {
            command: KeysCommand::Generate { out },
        } => run_keys_generate(out),
        Command::Keys {
            command: KeysCommand::Rotate { config },
        } => run_keys_rotate(&config),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("veilgate: {message}");
            ExitCode::from(2)
        }
    }
}

fn load_redactor(args: &PatternArgs) -> Result<Arc<Redactor>, String> {
    let rules = packs::load(&PackSource {
        dir: args.patterns.as_deref(),
        no_defaults: args.no_default_patterns,
    })
    .map_err(|e| e.to_string())?;
    let key = hash_key(args.hash_key_file.as_deref())?;
    Ok(Arc::new(Redactor::new(rules, key)?))
}

fn hash_key(file: Option<&std::path::Path>) -> Result<Option<HashKey>, String> {
    let bytes = match file {
        Some(path) => {
            let mut bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            while bytes.last().is_some_and(u8::is_ascii_whitespace) {
                bytes.pop();
            }
            bytes
        }
        None => match std::env::var(HASH_KEY_ENV) {
            Ok(hex) => {
                decode_hex(hex.trim()).ok_or_else(|| format!("{HASH_KEY_ENV} is not hex"))?
            }
            Err(_) => return Ok(None),
        },
    };
    HashKey::new(bytes).map(Some).map_err(str::to_string)
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn run_scan(args: ScanArgs) -> Result<ExitCode, String> {
    let redactor = load_redactor(&args.patterns)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut sink = Sink {
        out: &mut out,
        explain: args.explain,
    };
    let stdin_only = [PathBuf::from("-")];
    let files = if args.files.is_empty() {
        &stdin_only[..]
    } else {
        &args.files[..]
    };
    for path in files {
        let result = if path.as_os_str() == "-" {
            scan::scan(
                &redactor,
                "-",
                &mut io::stdin().lock(),
                args.format,
                &mut sink,
            )
        } else {
            let name = path.display().to_string();
            match std::fs::File::open(path) {
                Ok(mut file) => scan::scan(&redactor, &name, &mut file, args.format, &mut sink),
                Err(e) => Err(scan::ScanError::Read { name, source: e }),
            }
        };
        if let Err(e) = result {
            let _ = sink.out.flush();
            return Err(e.to_string());
        }
    }
    sink.out
        .flush()
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

fn run_serve(args: ServeArgs) -> Result<ExitCode, String> {
    let config = match (&args.config, &args.upstream) {
        (Some(file), _) => Config::load(file).map_err(|e| format!("{}: {e}", file.display()))?,
        (None, Some(url)) => Config::for_upstream(url, args.listen).map_err(|e| e.to_string())?,
        (None, None) => return Err("give --config FILE or --upstream URL".into()),
    };
    init_logging();
    let redactor = redactor_for(&config)?;
    runtime()?.block_on(async move {
        let upstream_url = config.upstream.url.clone();
        run_proxy(config, redactor, |agent_url| {
            format!("veilgate: agents connect to {agent_url}, forwarding to {upstream_url}")
        })
        .await
    })
}

fn run_demo(args: DemoArgs) -> Result<ExitCode, String> {
    init_logging();
    runtime()?.block_on(async move {
        let helpdesk = demo::helpdesk::start(args.helpdesk)
            .await
            .map_err(|e| format!("--helpdesk: cannot listen on {}: {e}", args.helpdesk))?;
        let helpdesk_url = format!("http://{helpdesk}");
        let config =
            Config::for_upstream(&helpdesk_url, Some(args.listen)).map_err(|e| e.to_string())?;
        let redactor = redactor_for(&config)?;
        let seed = demo::helpdesk::Seed::bundled();
        run_proxy(config, redactor, |agent_url| {
            format!(
                "veilgate: agents connect to {agent_url}, forwarding to {helpdesk_url}\n{}",
                demo::banner(&helpdesk_url, agent_url, &seed)
            )
        })
        .await
    })
}

fn redactor_for(config: &Config) -> Result<Arc<Redactor>, String> {
    load_redactor(&PatternArgs {
        patterns: config.redact.patterns.clone(),
        no_default_patterns: config.redact.no_default_patterns,
        hash_key_file: config.redact.hash_key_file.clone(),
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

/// Binds the agent listener, prints `announce(agent_url)` on stdout (the
/// first line tells scripts and tests the bound address) and serves until
/// Ctrl-C.
async fn run_proxy(
    config: Config,
    redactor: Arc<Redactor>,
    announce: impl FnOnce(&str) -> String,
) -> Result<ExitCode, String> {
    let verification = match &config.verification {
        Some(settings) => Some(start_verification(settings, &config.listen).await?),
        None => None,
    };
    let gate = match (&config.gate, &verification) {
        (Some(_), Some((verifier, _))) => Some(Arc::new(Gate::new(&config, Arc::clone(verifier))?)),
        _ => None,
    };
    let mut proxy = Proxy::new(config, redactor)?;
    if let Some((verifier, _)) = &verification {
        proxy = proxy.with_verifier(Arc::clone(verifier));
    }
    if let Some(gate) = gate {
        proxy = proxy.with_gate(gate);
    }
    let proxy = Arc::new(proxy);
    let (listener, tls) = server::bind(&proxy).await?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("listen.agent: {e}"))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!("{}", announce(&format!("{scheme}://{addr}")));
    if let Some((_, lines)) = &verification {
        println!("{lines}");
    }
    let _ = io::Write::flush(&mut io::stdout());
    tokio::select! {
        () = server::run(proxy, listener, tls) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// Binds the public and admin listeners, builds the verification service
/// and serves both; returns the service and the lines that announce them.
async fn start_verification(
    settings: &crate::config::Verification,
    listen: &crate::config::Listen,
) -> Result<(Arc<Verifier>, String), String> {
    let bind = |addr: SocketAddr, key: &'static str| async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("listen.{key}: cannot listen on {addr}: {e}"))?;
        let bound = listener
            .local_addr()
            .map_err(|e| format!("listen.{key}: {e}"))?;
        Ok::<_, String>((listener, bound))
    };
    let (public_listener, public_addr) = bind(listen.public, "public").await?;
    let (admin_listener, admin_addr) = bind(listen.admin, "admin").await?;
    let public_base = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{public_addr}"));
    let https = public_base.starts_with("https://");
    let token = setup::admin_token(settings)?;
    let verifier = Arc::new(setup::verifier(settings, public_base.clone())?);
    setup::spawn_sweeper(Arc::clone(&verifier));
    let public = Arc::new(Public::new(Arc::clone(&verifier), https));
    tokio::spawn(verify_http::serve(public_listener, move |request, peer| {
        verify_http::public::handle(Arc::clone(&public), request, peer)
    }));
    let admin = Arc::new(Admin::new(Arc::clone(&verifier), &token));
    tokio::spawn(verify_http::serve(admin_listener, move |request, peer| {
        verify_http::admin::handle(Arc::clone(&admin), request, peer)
    }));
    let lines = format!(
        "veilgate: customers verify at {public_base}/verify/…\nveilgate: admin API at http://{admin_addr}"
    );
    Ok((verifier, lines))
}

/// The `[verification]` table of a configuration file.
fn verification_settings(file: &std::path::Path) -> Result<crate::config::Verification, String> {
    let config = Config::load(file).map_err(|e| format!("{}: {e}", file.display()))?;
    config
        .verification
        .ok_or_else(|| format!("{}: has no [verification] table", file.display()))
}

fn run_enroll(args: EnrollArgs) -> Result<ExitCode, String> {
    let config =
        Config::load(&args.config).map_err(|e| format!("{}: {e}", args.config.display()))?;
    let settings = config
        .verification
        .ok_or_else(|| format!("{}: has no [verification] table", args.config.display()))?;
    let secret = if args.import {
        let mut text = zeroize::Zeroizing::new(String::new());
        io::Read::read_to_string(&mut io::stdin(), &mut text)
            .map_err(|e| format!("cannot read the secret from standard input: {e}"))?;
        Some(text)
    } else {
        None
    };
    let public_base = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen.public));
    runtime()?.block_on(async move {
        let verifier = setup::verifier(&settings, public_base)?;
        let actor = crate::verify::Actor {
            agent: Some("cli".into()),
            client_ip: None,
        };
        let enrollment = match &secret {
            Some(secret) => {
                verifier
                    .import(&args.contact, secret, args.replace, &actor)
                    .await
            }
            None => verifier.enroll(&args.contact, args.replace, &actor).await,
        }
        .map_err(|e| e.to_string())?;
        println!("contact id: {}", enrollment.contact_id);
        println!("status:     {}", enrollment.status);
        if let (Some(url), Some(uri)) = (&enrollment.enrollment_url, &enrollment.otpauth_uri) {
            println!(
                "send the customer this link (valid until {}):",
                enrollment.expires_at.as_deref().unwrap_or("?")
            );
            println!("  {url}");
            println!("or let them scan this code, then confirm with a first code on that page:");
            println!("{}", terminal_qr(uri)?);
            println!("otpauth URI (secret: do not store or forward it): {uri}");
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn terminal_qr(text: &str) -> Result<String, String> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| format!("QR code: {e}"))?;
    Ok(code
        .render::<qrcode::render::unicode::Dense1x2>()
        .dark_color(qrcode::render::unicode::Dense1x2::Light)
        .light_color(qrcode::render::unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

fn run_keys_generate(out: Option<PathBuf>) -> Result<ExitCode, String> {
    let keyring = Keyring::generate();
    match out {
        Some(path) => {
            setup::write_private_file(&path, &keyring.to_toml())?;
            eprintln!(
                "veilgate: wrote a new keyring to {}; set verification.keyring_file to it and keep it secret",
                path.display()
            );
        }
        None => print!("{}", keyring.to_toml().as_str()),
    }
    Ok(ExitCode::SUCCESS)
}

fn run_keys_rotate(file: &std::path::Path) -> Result<ExitCode, String> {
    let mut settings = verification_settings(file)?;
    let keyring_file = settings.keyring_file.clone().ok_or(
        "keys rotate rewrites verification.keyring_file; with a keyring in the environment, \
         add a key there by hand (veilgate keys generate shows the format)",
    )?;
    let mut keyring = setup::keyring(&settings)?;
    let new_id = keyring.rotate();
    setup::replace_private_file(&keyring_file, &keyring.to_toml())?;
    // The service re-reads the keyring just written.
    settings.keyring_file = Some(keyring_file.clone());
    runtime()?.block_on(async move {
        let verifier = setup::verifier(&settings, String::new())?;
        let resealed = verifier.reseal_all().await.map_err(|e| e.to_string())?;
        println!(
            "veilgate: key {new_id} is now active in {}; {resealed} secrets re-sealed with it. Restart veilgate to use it.",
            keyring_file.display()
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// Logs go to stderr; `RUST_LOG` filters them (default `info`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&io::stderr()))
        .with_target(false)
        .try_init();
}

fn run_patterns_test(dir: Option<PathBuf>, no_default_patterns: bool) -> Result<ExitCode, String> {
    let redactor = load_redactor(&PatternArgs {
        patterns: dir,
        no_default_patterns,
        hash_key_file: None,
    })?;
    let report = selftest::run(&redactor)?;
    for f in &report.failures {
        println!(
            "FAIL {}: rule `{}`: {}\n     example: {:?}",
            f.file, f.rule, f.problem, f.example
        );
    }
    println!(
        "{} rules, {} examples, {} failed",
        report.rules,
        report.examples,
        report.failures.len()
    );
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
