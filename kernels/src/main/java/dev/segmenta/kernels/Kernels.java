package dev.segmenta.kernels;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Chooses the kernel backend. Providers come from {@link ServiceLoader} ({@link KernelProvider});
 * a name is {@value #AUTO} or a provider's name.
 * <ul>
 *   <li>{@value #AUTO} starts the highest-priority provider that can start. Each provider skipped on
 *       the way logs one WARNING with its reason and fix; the choice logs one INFO line.</li>
 *   <li>An explicit name that is unknown or cannot start throws {@link BackendUnavailableException}:
 *       a forced backend never silently becomes another.</li>
 * </ul>
 * Each distinct name is resolved once per JVM, and the outcome (backend or failure) is reused, so the
 * log lines appear once however often the engine asks.
 */
public final class Kernels {

    /** System property naming the default backend: {@value #AUTO}, {@code scalar}, {@code simd}, or another provider's name. */
    public static final String PROPERTY = "segmenta.kernels";

    /** The name that lets the highest-priority backend that starts win. */
    public static final String AUTO = "auto";

    private static final Logger LOG = System.getLogger(Kernels.class.getName());

    private static final Map<String, Resolution> RESOLVED = new ConcurrentHashMap<>();

    /**
     * Backends that are built only on request, by name, with what to do when a build lacks them: a
     * request for one names the fix instead of "no such backend".
     */
    private static final Map<String, String> NOT_BUILT = Map.of("tornado",
            "not in this build: the TornadoVM backend is compiled only with './mvnw -Ptornado package' and "
                    + "TORNADOVM_HOME set to a TornadoVM SDK (see docs/guide.md, 'GPU backend (TornadoVM)')");

    private Kernels() {
    }

    /**
     * The backend named by {@code -Dsegmenta.kernels} (default {@value #AUTO}).
     *
     * @throws BackendUnavailableException if that property names a backend that cannot start
     */
    public static KernelSelection selection() {
        return select(System.getProperty(PROPERTY, AUTO));
    }

    /**
     * The backend for a name from the command line ({@code --backend}) or configuration.
     *
     * @param name {@value #AUTO} or a provider's name, case-insensitive; {@code null} or blank means {@value #AUTO}
     * @throws BackendUnavailableException if the name is unknown or names a backend that cannot start
     */
    public static KernelSelection select(String name) {
        return select(name, null);
    }

    /**
     * The backend for a name and, for a backend with devices, one of them ({@code --device}).
     *
     * @param device a device as {@code segmenta backends} lists it, or {@code null} for the backend's default
     * @throws BackendUnavailableException if the name is unknown, names a backend that cannot start, or a
     *                                     device is given with {@value #AUTO} or for a backend that cannot use it
     */
    public static KernelSelection select(String name, String device) {
        String wanted = normalise(name);
        String chosenDevice = device == null || device.isBlank() ? null : device.strip();
        String key = chosenDevice == null ? wanted : wanted + "@" + chosenDevice;
        return RESOLVED.computeIfAbsent(key, k -> Resolution.of(() -> resolve(wanted, chosenDevice, providers(), LOG)))
                .selectionOrThrow();
    }

    /**
     * Every known backend in priority order, whether it starts here and why (for {@code segmenta backends}),
     * followed by the optional backends this build does not contain, each with how to build it in.
     */
    public static List<BackendStatus> describeAll() {
        List<BackendStatus> all = new ArrayList<>();
        List<KernelProvider> providers = providers();
        for (KernelProvider provider : providers) {
            try {
                KernelSelection started = provider.create();
                all.add(new BackendStatus(provider.name(), provider.priority(), true, started.reason(), provider.devices()));
            } catch (BackendUnavailableException e) {
                all.add(new BackendStatus(provider.name(), provider.priority(), false, e.reason(), List.of()));
            }
        }
        for (Map.Entry<String, String> optional : NOT_BUILT.entrySet()) {
            if (providers.stream().noneMatch(p -> p.name().equals(optional.getKey()))) {
                all.add(new BackendStatus(optional.getKey(), -1, false, optional.getValue(), List.of()));
            }
        }
        return all;
    }

    /** Uncached resolution of a name without a device choice; test-visible. */
    static KernelSelection resolve(String name, List<KernelProvider> providers, Logger log) {
        return resolve(name, null, providers, log);
    }

    /** Uncached resolution over the given providers (highest priority first); test-visible. */
    static KernelSelection resolve(String name, String device, List<KernelProvider> providers, Logger log) {
        String wanted = normalise(name);
        if (!wanted.equals(AUTO)) {
            for (KernelProvider provider : providers) {
                if (provider.name().equals(wanted)) {
                    KernelSelection started = provider.create(device);
                    log.log(Level.INFO, "Kernel backend {0}: {1} (requested)", wanted, started.reason());
                    return new KernelSelection(started.kernels(), started.reason() + " (requested)");
                }
            }
            if (NOT_BUILT.containsKey(wanted)) {
                throw new BackendUnavailableException(wanted, NOT_BUILT.get(wanted));
            }
            throw new BackendUnavailableException(wanted, "no such backend; known: " + AUTO + ", "
                    + String.join(", ", providers.stream().map(KernelProvider::name).toList()));
        }
        if (device != null) {
            throw new BackendUnavailableException(AUTO, "--device " + device + " chooses among one backend's devices;"
                    + " name that backend too, e.g. --backend tornado --device " + device);
        }
        List<String> skipped = new ArrayList<>();
        for (KernelProvider provider : providers) {
            try {
                KernelSelection started = provider.create();
                String how = skipped.isEmpty() ? "auto: highest priority" : "auto: after " + String.join(", ", skipped);
                log.log(Level.INFO, "Kernel backend {0}: {1} ({2})", provider.name(), started.reason(), how);
                return new KernelSelection(started.kernels(), started.reason() + " (" + how + ")");
            } catch (BackendUnavailableException e) {
                log.log(Level.WARNING, "Kernel backend {0} unavailable, trying the next: {1}", provider.name(), e.reason());
                skipped.add(provider.name() + " unavailable");
            }
        }
        throw new BackendUnavailableException(AUTO, "no backend could start: " + String.join(", ", skipped));
    }

    /**
     * The installed providers, highest priority first. A provider whose class cannot be loaded is
     * logged and left out; of two with one name, the first found is kept.
     */
    static List<KernelProvider> providers() {
        List<KernelProvider> found = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Iterator<KernelProvider> it = ServiceLoader.load(KernelProvider.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                KernelProvider provider = it.next();
                if (names.add(provider.name())) {
                    found.add(provider);
                } else {
                    LOG.log(Level.WARNING, "Kernel backend {0} is provided twice; ignoring {1}",
                            provider.name(), provider.getClass().getName());
                }
            } catch (ServiceConfigurationError e) {
                LOG.log(Level.WARNING, "A kernel backend could not be loaded and is ignored: {0}", e.getMessage());
            }
        }
        found.sort(Comparator.comparingInt(KernelProvider::priority).reversed());
        return found;
    }

    private static String normalise(String name) {
        return name == null || name.isBlank() ? AUTO : name.strip().toLowerCase(Locale.ROOT);
    }

    /** A resolved name: the selection, or the failure to rethrow on every later request. */
    private record Resolution(KernelSelection selection, BackendUnavailableException failure) {

        static Resolution of(Supplier<KernelSelection> resolver) {
            try {
                return new Resolution(resolver.get(), null);
            } catch (BackendUnavailableException e) {
                return new Resolution(null, e);
            }
        }

        KernelSelection selectionOrThrow() {
            if (failure != null) {
                throw new BackendUnavailableException(failure.backend(), failure.reason(), failure);
            }
            return selection;
        }
    }
}
