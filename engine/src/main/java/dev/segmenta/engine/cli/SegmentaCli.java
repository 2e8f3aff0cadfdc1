package dev.segmenta.engine.cli;

import dev.segmenta.engine.KernelWarmup;
import dev.segmenta.engine.data.NotEnoughMemoryException;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.Cancellation;
import dev.segmenta.io.OutputTransaction;
import dev.segmenta.kernels.BackendUnavailableException;
import org.apache.arrow.memory.OutOfMemoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The {@code segmenta} command: one root with a subcommand per task. */
@Command(name = "segmenta",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "High-throughput customer segmentation: k-means, DBSCAN and hierarchical clustering on Parquet, "
                + "Arrow and CSV files.",
        subcommands = {
                DemoCommand.class,
                GenerateCommand.class,
                FitCommand.class,
                PredictCommand.class,
                DbscanCommand.class,
                RfmCommand.class,
                SplitCommand.class,
                LiftCommand.class,
                DriftCommand.class,
                ElbowCommand.class,
                EvaluateCommand.class,
                ReportCommand.class,
                PcaCommand.class,
                BackendsCommand.class,
                BenchCommand.class,
                HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0    success",
                "  1    internal error (a bug: rerun with --debug and report it)",
                "  2    usage error (unknown option, bad value, unavailable --backend)",
                "  3    bad input (the message names the file, row/column and the fix)",
                "  4    I/O error (unreadable input, output not writable, disk full)",
                "  5    drift --fail-on-drift only: re-clustering advised",
                "  6    not enough memory (the message says how much is needed and how to give it)",
                "  130  interrupted (Ctrl-C); no partial output is left behind",
                "  143  terminated (SIGTERM, e.g. a scheduler's timeout); no partial output is left behind",
                "",
                "Examples:",
                "  segmenta demo",
                "  segmenta generate --customers 1000000 --features 8 --segments 8 --seed 7 --out c.parquet",
                "  segmenta elbow --input c.parquet --k 2..12 --out elbow.json --plot elbow.png",
                "  segmenta fit --input c.parquet --k 8 --seed 1 --model m.json --assignments a.parquet",
                "  segmenta fit --input c.parquet --algorithm hierarchical --k 6 --micro-clusters 2000 --model h.json",
                "  segmenta dbscan --suggest-eps --input c.parquet --min-samples 10 --plot kdist.png",
                "  segmenta evaluate --model m.json --input c.parquet",
                "  segmenta report --model m.json --input c.parquet --elbow elbow.json --out report.html",
                "  segmenta predict --model m.json --input c.parquet --out p.csv",
                "  segmenta split --assignments a.parquet --control 0.1 --seed 1 --out groups.csv",
                "  segmenta generate --customers 1000000 --features 8 --segments 8 --seed 8 --out c2.parquet",
                "  segmenta drift --model m.json --before c.parquet --after c2.parquet",
                "  segmenta generate --transactions 10000000 --customers 500000 --out t.parquet",
                "  segmenta rfm --transactions t.parquet --out rfm.parquet",
                "  segmenta bench"})
public final class SegmentaCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        configureLogging(Arrays.asList(args).contains("--debug"));
        StopSignals.install(Thread.currentThread());
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns its exit code; used by {@link #main} and by the end-to-end tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        System.setProperty("segmenta.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        CommandLine cli = new CommandLine(new SegmentaCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpWidth(120);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = parseResult.subcommand() != null
                    && parseResult.subcommand().hasMatchedOption("--debug");
            int code = exitCode(e);
            commandLine.getErr().println("segmenta " + commandLine.getCommandName() + ": " + message(e));
            if (debug || code == ExitCodes.INTERNAL) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return code;
        });
        cli.setParameterExceptionHandler((e, arguments) -> {
            // One line, as for every other error; the usage is one --help away rather than printed in full.
            CommandLine command = e.getCommandLine();
            String name = command.getCommandSpec().qualifiedName();
            command.getErr().println(name + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + " (see '" + name + " --help')");
            command.getErr().flush();
            return ExitCodes.USAGE;
        });
        cli.setExitCodeExceptionMapper(e -> exitCode(e));
        cli.setExecutionStrategy(SegmentaCli::execute);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // The safety net behind the commands' own estimates: whatever was allocated is unreachable
            // by now, so there is room to say what happened.
            err.println("segmenta" + (args.length > 0 ? " " + args[0] : "") + ": " + outOfMemory());
            if (Arrays.asList(args).contains("--debug")) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.NOT_ENOUGH_MEMORY;
        } finally {
            KernelWarmup.stopAll();
        }
    }

    /**
     * Runs the chosen command as picocli would, with two guarantees around it: its outputs are checked
     * against its inputs and each other before it starts ({@link OutputClashes}), and all of them are
     * published together when it succeeds, none when it fails ({@link OutputTransaction}).
     */
    private static int execute(CommandLine.ParseResult parsed) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        CommandLine command = last.commandSpec().commandLine();
        if (!(last.commandSpec().userObject() instanceof Callable<?> callable)) {
            return new CommandLine.RunLast().execute(parsed);
        }
        try {
            OutputClashes.check(last.commandSpec());
            Object code = OutputTransaction.run(callable::call);
            return code instanceof Integer c ? c : ExitCodes.OK;
        } catch (CommandLine.ParameterException | CommandLine.ExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandLine.ExecutionException(command, String.valueOf(e.getMessage()), e);
        }
    }

    static String outOfMemory() {
        return "ran out of memory (this JVM may use " + NotEnoughMemoryException.size(NotEnoughMemoryException.maxHeap())
                + " of heap); give it more with SEGMENTA_JAVA_OPTS=-Xmx<size>, or for fit stream the file with --out-of-core"
                + " (see 'Memory' in docs/guide.md)";
    }

    /**
     * Library log records (backend choice and fallbacks) as one plain line each on stderr. The CLI
     * prints its own progress, so only warnings show unless {@code --debug}.
     */
    private static void configureLogging(boolean debug) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "segmenta %4$s: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        root.setLevel(debug ? Level.FINE : Level.WARNING);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(root.getLevel());
            handler.setFormatter(new SimpleFormatter());
        }
    }

    static int exitCode(Throwable e) {
        if (Cancellation.requested()) {
            // Whatever the work failed with after Ctrl-C or SIGTERM (such as an I/O error from a
            // channel the interrupt closed) is the stop.
            return StopSignals.exitCode();
        }
        return switch (e) {
            case BadInputException ignored -> ExitCodes.BAD_INPUT;
            case IOException ignored -> ExitCodes.IO;
            case UncheckedIOException ignored -> ExitCodes.IO;
            case BackendUnavailableException ignored -> ExitCodes.USAGE;
            case CommandLine.ParameterException ignored -> ExitCodes.USAGE;
            case InterruptedException ignored -> ExitCodes.INTERRUPTED;
            case CancellationException ignored -> ExitCodes.INTERRUPTED;
            case NotEnoughMemoryException ignored -> ExitCodes.NOT_ENOUGH_MEMORY;
            case OutOfMemoryException ignored -> ExitCodes.NOT_ENOUGH_MEMORY;
            default -> ExitCodes.INTERNAL;
        };
    }

    private static String message(Throwable e) {
        int code = exitCode(e);
        if (code == ExitCodes.INTERRUPTED || code == ExitCodes.TERMINATED) {
            return StopSignals.word() + "; outputs not yet complete were removed";
        }
        return switch (e) {
            case UncheckedIOException u -> ioMessage(u.getCause());
            case IOException io -> ioMessage(io);
            case BackendUnavailableException b -> b.getMessage() + " (see 'segmenta backends')";
            case OutOfMemoryException ignored -> outOfMemory();
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    }

    private static String ioMessage(IOException e) {
        return switch (e) {
            case FileSystemException f when f.getReason() != null -> f.getFile() + ": " + f.getReason();
            case NoSuchFileException n -> n.getFile() + ": no such file or directory";
            case AccessDeniedException a -> a.getFile() + ": permission denied";
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    }
}
