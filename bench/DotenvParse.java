import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.homeiq.deploy.secrets.Dotenv;
import org.homeiq.deploy.secrets.KeyCatalog;
import org.homeiq.deploy.secrets.Masker;

/**
 * Times what every command does with a .env in-process: parse it (Dotenv.parse) and register
 * every value with the masker, as --env-file does; then mask one console line per entry. Each
 * file is run three times in one JVM (the first includes JIT warm-up); wall and CPU time.
 * Run by bench/dotenv-parse.sh: java -cp target/homeiq-deploy.jar bench/DotenvParse.java FILE...
 */
public class DotenvParse {
    public static void main(String[] args) throws Exception {
        var cpu = ManagementFactory.getThreadMXBean();
        System.out.printf("%-22s %10s %6s %22s %22s %18s%n", "file", "bytes", "run", "parse ms (wall/cpu)",
                "register ms (wall/cpu)", "mask 1 line/entry");
        for (String a : args) {
            Path file = Path.of(a);
            for (int run = 1; run <= 3; run++) {
                long w0 = System.nanoTime(), c0 = cpu.getCurrentThreadCpuTime();
                Dotenv env = Dotenv.parse(file);
                long w1 = System.nanoTime(), c1 = cpu.getCurrentThreadCpuTime();
                var masker = new Masker();
                KeyCatalog catalog = KeyCatalog.bundled();
                for (Dotenv.Entry e : env.entries()) {
                    catalog.register(e, masker);
                }
                long w2 = System.nanoTime(), c2 = cpu.getCurrentThreadCpuTime();
                long n = 0;
                for (Dotenv.Entry e : env.entries()) {
                    n += masker.mask("  " + e.key() + " line " + e.line() + " set, not in the catalog").length();
                }
                long w3 = System.nanoTime();
                System.out.printf("%-22s %10d %6d %11d/%-10d %11d/%-10d %15d ms%n", file.getFileName(), Files.size(file), run,
                        (w1 - w0) / 1_000_000, (c1 - c0) / 1_000_000, (w2 - w1) / 1_000_000, (c2 - c1) / 1_000_000,
                        (w3 - w2) / 1_000_000 + (n < 0 ? 1 : 0));
            }
        }
    }
}
