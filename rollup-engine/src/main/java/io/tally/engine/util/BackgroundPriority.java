package io.tally.engine.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Optional;

/**
 * Lowers the OS scheduling priority of the calling thread, for work that may wait: checkpoints, compactions, alert
 * evaluation. On Linux every thread has its own nice value, and a thread may always raise its own; with background
 * threads at nice {@value #DEFAULT_NICENESS} the kernel gives a waking event loop, shard writer or query thread the
 * core at once and the background work only the CPU the others leave (about a tenth of a core each when both
 * want it, by CFS weights). The JDK has no API for it ({@code Thread.setPriority} is ignored on Linux without
 * root), so this calls {@code gettid} and {@code setpriority(PRIO_PROCESS, tid, nice)} through the foreign function
 * API, looked up reflectively so the code compiles at Java 21 (where that API is a preview) and degrades to doing
 * nothing on other systems or JDKs. Needs {@code --enable-native-access=ALL-UNNAMED} (set by {@code bin/tally} and
 * the tally.jar manifest) to stay quiet.
 */
public final class BackgroundPriority {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundPriority.class);

    /** Nice value of background threads unless {@code -Dtally.background-nice} says otherwise (0 disables). */
    public static final int DEFAULT_NICENESS = 10;

    private static final MethodHandle GETTID;
    private static final MethodHandle SETPRIORITY;
    private static final MethodHandle GETPRIORITY;
    private static final int NICENESS = Integer.getInteger("tally.background-nice", DEFAULT_NICENESS);

    static {
        MethodHandle gettid = null;
        MethodHandle setpriority = null;
        MethodHandle getpriority = null;
        if (NICENESS > 0 && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            try {
                Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
                Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
                Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
                Object jint = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_INT").get(null);
                Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
                Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
                Method find = lookupClass.getMethod("find", String.class);
                Object layouts = Array.newInstance(layoutClass, 0);
                Method of = descriptorClass.getMethod("of", layoutClass, layouts.getClass());
                Method downcall = linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass,
                        Array.newInstance(optionClass, 0).getClass());
                Object noOptions = Array.newInstance(optionClass, 0);
                Object[] threeInts = (Object[]) Array.newInstance(layoutClass, 3);
                threeInts[0] = jint;
                threeInts[1] = jint;
                threeInts[2] = jint;
                Object[] twoInts = (Object[]) Array.newInstance(layoutClass, 2);
                twoInts[0] = jint;
                twoInts[1] = jint;
                Optional<?> tidSym = (Optional<?>) find.invoke(lookup, "gettid");
                Optional<?> setSym = (Optional<?>) find.invoke(lookup, "setpriority");
                Optional<?> getSym = (Optional<?>) find.invoke(lookup, "getpriority");
                if (tidSym.isPresent() && setSym.isPresent() && getSym.isPresent()) {
                    gettid = (MethodHandle) downcall.invoke(linker, tidSym.get(),
                            of.invoke(null, jint, layouts), noOptions);
                    setpriority = (MethodHandle) downcall.invoke(linker, setSym.get(),
                            of.invoke(null, jint, threeInts), noOptions);
                    getpriority = (MethodHandle) downcall.invoke(linker, getSym.get(),
                            of.invoke(null, jint, twoInts), noOptions);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.debug("background threads keep the normal priority: {}", e.toString());
            }
        }
        GETTID = gettid;
        SETPRIORITY = setpriority;
        GETPRIORITY = getpriority;
    }

    private BackgroundPriority() {
    }

    /**
     * Gives the calling thread the background nice value unless it already runs at that or lower; true when it
     * now does. Threads it starts later inherit the value.
     */
    public static boolean lowerCurrentThread() {
        if (SETPRIORITY == null) {
            return false;
        }
        try {
            int tid = (int) GETTID.invokeExact();
            if ((int) GETPRIORITY.invokeExact(0, tid) >= NICENESS) {
                return true; // already as low (never raise a thread that was started lower)
            }
            return (int) SETPRIORITY.invokeExact(0 /* PRIO_PROCESS: one thread by its id */, tid, NICENESS) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** The calling thread's nice value, or {@code Integer.MIN_VALUE} when it cannot be read. */
    public static int currentNiceness() {
        if (GETPRIORITY == null) {
            return Integer.MIN_VALUE;
        }
        try {
            int tid = (int) GETTID.invokeExact();
            return (int) GETPRIORITY.invokeExact(0, tid);
        } catch (Throwable t) {
            return Integer.MIN_VALUE;
        }
    }

    /** A runnable that lowers its thread's priority, then runs {@code r}: for thread factories. */
    public static Runnable lowered(Runnable r) {
        return () -> {
            lowerCurrentThread();
            r.run();
        };
    }
}
