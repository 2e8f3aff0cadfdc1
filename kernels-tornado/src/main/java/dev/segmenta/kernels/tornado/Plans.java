package dev.segmenta.kernels.tornado;

import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;

/** Compiling and freeing the execution plans of this backend's task graphs, the same way for each. */
final class Plans {

    /**
     * OpenCL options: TornadoVM's defaults add -cl-fast-relaxed-math, which lets the compiler flush
     * the 1e-38-sized squared distances of tiny features to zero and reorder sums; the kernel contract
     * wants IEEE float arithmetic, as in Java.
     */
    private static final String OPENCL_FLAGS = "-w";

    private Plans() {
    }

    /**
     * A plan for {@code graph} on {@code device}, its kernels already JIT-compiled.
     *
     * @param grids the work-group shapes of its {@code KernelContext} tasks, or {@code null} when it has none
     * @throws dev.segmenta.kernels.BackendUnavailableException if TornadoVM cannot compile them for the device
     */
    static TornadoExecutionPlan compile(TornadoDevice device, TaskGraph graph, GridScheduler grids, String what) {
        try {
            TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot());
            plan.withDevice(device).withCompilerFlags(TornadoVMBackendType.OPENCL, OPENCL_FLAGS);
            if (grids != null) {
                plan.withGridScheduler(grids);
            }
            plan.withPreCompilation();
            return plan;
        } catch (RuntimeException | Error e) {
            throw TornadoFailure.of(device, "compile " + what, e);
        }
    }

    /** Frees the plan's device buffers. */
    static void close(TornadoDevice device, TornadoExecutionPlan plan) {
        try {
            plan.close();
        } catch (Exception e) {
            throw TornadoFailure.of(device, "free device memory", e);
        }
    }
}
