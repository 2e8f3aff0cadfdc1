package dev.segmenta.kernels.tornado;

import dev.segmenta.kernels.BackendUnavailableException;
import dev.segmenta.kernels.KernelProvider;
import dev.segmenta.kernels.KernelSelection;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Locale;

/**
 * Provides the TornadoVM backend ({@code --backend tornado}). Every check that fails names its cause
 * and the fix, and only after they pass is the TornadoVM-linked part loaded, by name:
 * <ol>
 *   <li>TornadoVM's runtime module is in the boot layer (the JVM was started with
 *       {@code @$TORNADOVM_HOME/tornado-argfile}, as the {@code segmenta} launcher does when
 *       {@code TORNADOVM_HOME} is set);</li>
 *   <li>TornadoVM's silent fallback to sequential Java is off ({@code tornado.recover.bailout}); the
 *       provider turns it off itself unless it was explicitly turned on;</li>
 *   <li>the kernels were compiled with local-variable tables ({@code -g}), without which TornadoVM
 *       cannot see their parallel loops;</li>
 *   <li>TornadoVM starts, sees a device, and the chosen one has 64-bit floats (the partial sums are double).</li>
 * </ol>
 *
 * <p>Priority {@value #PRIORITY}, below {@code simd}: {@code auto} never picks it, because compiling
 * its kernels costs seconds and pays off only on a GPU; ask for it with {@code --backend tornado}.
 */
public final class TornadoKernelProvider implements KernelProvider {

    /** The backend's name on the command line. */
    public static final String NAME = "tornado";

    /** Below {@code simd}'s 100 and above {@code scalar}'s 0. */
    public static final int PRIORITY = 50;

    private static final String RUNTIME_MODULE = "tornado.runtime";
    private static final String BACKEND_CLASS = "dev.segmenta.kernels.tornado.TornadoDeviceBackend";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public KernelSelection create() {
        return create(null);
    }

    @Override
    public KernelSelection create(String device) {
        return backend().start(device);
    }

    @Override
    public List<String> devices() {
        return backend().devices();
    }

    private DeviceBackend backend() {
        if (ModuleLayer.boot().findModule(RUNTIME_MODULE).isEmpty()) {
            throw unavailable("TornadoVM is not on this JVM's module path: set TORNADOVM_HOME to a TornadoVM SDK and "
                    + "start through the segmenta launcher, which then adds @$TORNADOVM_HOME/tornado-argfile "
                    + "(a plain java command needs that argfile itself)");
        }
        String recover = System.getProperty(RuntimeOptions.RECOVER_BAILOUT);
        if (recover != null && !recover.strip().toLowerCase(Locale.ROOT).equals("false")) {
            throw unavailable("-D" + RuntimeOptions.RECOVER_BAILOUT + "=" + recover + " lets a kernel that TornadoVM "
                    + "cannot compile run as sequential Java without a word; remove that option");
        }
        System.setProperty(RuntimeOptions.RECOVER_BAILOUT, "False");
        if (!DebugInfo.hasLocalVariables(TornadoKernelProvider.class, "DeviceKernels")) {
            throw unavailable("its kernels were compiled without local-variable tables (javac -g), so TornadoVM cannot "
                    + "find their parallel loops; rebuild with './mvnw -Ptornado package', which compiles them with -g");
        }
        try {
            return Class.forName(BACKEND_CLASS).asSubclass(DeviceBackend.class).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof BackendUnavailableException reason) {
                throw reason;
            }
            throw unavailable("TornadoVM failed to start: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw unavailable("could not load the TornadoVM kernels: " + e, e);
        }
    }

    private static BackendUnavailableException unavailable(String reason) {
        return new BackendUnavailableException(NAME, reason);
    }

    private static BackendUnavailableException unavailable(String reason, Throwable cause) {
        return new BackendUnavailableException(NAME, reason, cause);
    }
}
