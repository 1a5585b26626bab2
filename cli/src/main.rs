//! `daynight`: classify photos as day or night from the command line, train the model
//! and evaluate it. The pipeline is `daynight-core`, the same code the browser runs.

// Commands: each is one subcommand, and imports only the shared modules below,
// never another command.
mod bench;
mod classify;
mod eval;
mod merge;
mod resume;
mod train_cmd;

// Shared by the commands.
mod date;
mod files;
mod jsonl;
mod labelled;
mod memory;
mod pipeline;
mod scoring;
mod shard;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use daynight_core::decode::budget::{DECODES, DECODE_BUDGET};
use daynight_core::provenance::TrainOptions;
use daynight_core::Model;

#[derive(Parser)]
#[command(name = "daynight", version, about = "Tell day photos from night photos, on this machine.")]
struct Cli {
    /// Model file to use instead of the one built in (classify, eval, bench).
    #[arg(long, global = true, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Worker threads. Default: $RAYON_NUM_THREADS, else the CPUs this process may use
    /// (a container's CPU limit included).
    #[arg(long, global = true, value_name = "N")]
    threads: Option<std::num::NonZeroUsize>,
    /// Memory all threads' decodes may hold at once, in MB (files and pixels): a decode
    /// that does not fit waits. Most photos need a few MB; a 16 MP progressive JPEG
    /// about 55, a 16 MP PNG about 130 (one over the budget runs alone).
    #[arg(long, global = true, value_name = "MB", default_value_t = DECODE_BUDGET >> 20,
          value_parser = clap::value_parser!(u64).range(1..=1 << 20))]
    decode_memory: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Classify image files and folders (recursively): JPEG, PNG, GIF, WebP, BMP, HEIC, AVIF.
    Classify {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format [default: table; with --out, jsonl, the only one it writes].
        #[arg(long, value_enum)]
        format: Option<classify::Format>,
        /// Only shard K of N of the files (0 ≤ K < N); `auto/N` takes K from
        /// JOB_COMPLETION_INDEX, as set in a Kubernetes Indexed Job.
        #[arg(long, value_name = "K/N")]
        shard: Option<shard::ShardArg>,
        /// Write jsonl to FILE, line by line as images finish, instead of to stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Keep FILE's complete lines and skip their paths; cut a torn last line.
        #[arg(long, requires = "out")]
        resume: bool,
    },
    /// Join the jsonl files of a sharded run and count what they hold.
    Merge {
        /// Shard files, or folders whose *.jsonl files are joined.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: merge::MergeFormat,
    },
    /// Train a model from labelled folders, each holding day/ and night/.
    Train {
        /// Labelled folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Where to write the model JSON.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Also write the training examples as feature vectors (`model/examples.bin`,
        /// what the page retrains on; format in `daynight_core::examples`).
        #[arg(long, value_name = "FILE")]
        examples_out: Option<PathBuf>,
        /// L2 penalty on standardized weights.
        #[arg(long, default_value_t = TrainOptions::default().l2, allow_negative_numbers = true)]
        l2: f64,
        /// Relative total weight of each folder, comma-separated (default: equal).
        // Negative numbers parse (here and for --l2), so `--weights -1` gets the
        // trainer's message rather than clap's "unexpected argument".
        #[arg(long, value_delimiter = ',', value_name = "W,W,…", allow_negative_numbers = true)]
        weights: Vec<f64>,
        /// Standardized features are clipped to ±CLIP before the weights, so one
        /// feature far outside the training photos cannot make an answer over-sure.
        #[arg(long, default_value_t = TrainOptions::default().z_clip, allow_negative_numbers = true, value_name = "CLIP")]
        clip: f64,
        /// Weight of each leave-one-set-out log-odds (beside the k-fold's, weight 1)
        /// in the calibration fit: more makes the probabilities humbler.
        #[arg(long, default_value_t = TrainOptions::default().held_out_weight, allow_negative_numbers = true, value_name = "W")]
        held_out_weight: f64,
        /// Folds for cross-validation.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..=50))]
        folds: u16,
    },
    /// Evaluate the model on labelled folders (day/ and night/, optionally dusk/),
    /// each on its own and pooled.
    Eval {
        /// Labelled folders; a `dusk/` inside one is reported apart, never as a label.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Print one JSON object instead of the report.
        #[arg(long)]
        json: bool,
    },
    /// Print speed numbers: feature extraction per image and batch throughput.
    Bench {
        /// Folder of images for the throughput run.
        #[arg(default_value = "../shared/data/day_night_images/test")]
        dir: PathBuf,
        /// Throughput rounds.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
}

/// The command as typed, with paths as given, for the model's provenance.
fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("daynight {}", args.join(" "))
}

fn load_model(path: Option<&PathBuf>) -> anyhow::Result<Model> {
    Ok(match path {
        Some(p) => Model::from_json(&std::fs::read_to_string(p)?).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
        None => Model::embedded()?,
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new().num_threads(n.get()).build_global()?;
    }
    DECODES.set_total(cli.decode_memory << 20);
    match cli.command {
        Command::Classify { paths, format, shard, out, resume } => {
            let model = load_model(cli.model.as_ref())?;
            let shard = shard.map(|s| s.resolve(std::env::var(shard::INDEX_VAR).ok().as_deref())).transpose()?;
            let selection = shard::select(&paths, shard);
            if let Some(out) = out {
                // Failed images are lines of the file too: a finished run exits 0.
                resume::classify_into(&model, &selection, shard, &out, resume)?;
                return Ok(ExitCode::SUCCESS);
            }
            let format = format.unwrap_or(classify::Format::Table);
            if shard.is_some() {
                eprintln!("{}", shard::describe(&selection, shard));
            }
            // The selected files are named explicitly, so `run` takes them as they are.
            let failed = classify::run(&model, &selection.files, format, &mut std::io::stdout().lock())?;
            if failed > 0 {
                eprintln!("{failed} file(s) could not be classified");
                return Ok(ExitCode::from(1));
            }
        }
        Command::Train { dirs, out, examples_out, l2, weights, clip, held_out_weight, folds } => {
            let opts = TrainOptions { l2, dataset_weights: weights, z_clip: clip, held_out_weight, ..TrainOptions::default() };
            let outputs = train_cmd::Outputs { model: &out, examples: examples_out.as_deref() };
            train_cmd::run(&dirs, outputs, &opts, usize::from(folds), &command_line())?;
        }
        Command::Eval { dirs, json } => {
            eval::run(&load_model(cli.model.as_ref())?, &dirs, json)?;
        }
        Command::Merge { paths, format } => {
            let summary = merge::run(&merge::inputs(&paths)?, format, &mut std::io::stdout().lock())?;
            eprintln!("{summary}");
            if !summary.clean() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Bench { dir, rounds } => bench::run(&load_model(cli.model.as_ref())?, &dir, rounds.max(1))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses what clap's attributes cannot say, as clap refuses a usage error (a
/// message, the usage line, exit status 2), before any file is opened or read.
fn check_usage(cli: &Cli) {
    use classify::Format;
    // `--out` writes jsonl, line by line as images finish: `--format jsonl` says so
    // again, a table or csv (whole-batch outputs) it cannot write.
    if let Command::Classify { format: Some(format @ (Format::Table | Format::Csv)), out: Some(_), .. } = &cli.command {
        let name = format.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default();
        let message = format!(
            "--format {name} cannot be used with --out, which writes jsonl: use --format jsonl (or leave --format out) with --out, or drop --out to print {name} on stdout"
        );
        let mut cli = Cli::command();
        // Built first so the usage line names `daynight classify`, as clap's own errors do.
        cli.build();
        let classify = cli.find_subcommand_mut("classify").expect("classify is a subcommand");
        classify.error(clap::error::ErrorKind::ArgumentConflict, message).exit();
    }
}

fn main() -> ExitCode {
    memory::give_back_large_frees();
    // clap exits with status 2 on usage errors by itself.
    let cli = Cli::parse();
    check_usage(&cli);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
