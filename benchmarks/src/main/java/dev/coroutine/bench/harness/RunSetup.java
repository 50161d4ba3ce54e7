package dev.coroutine.bench.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What one run was asked to do and where everything is: the command line's mode, parts and paths,
 * and the system properties the pom passes.
 *
 * @param sizes the quick or the full sizes ({@code --mode})
 * @param only the parts to run ({@code --only}: W1..W6, T1, T2, PY, IO, MC, TLS, S1); empty: all
 * @param out where the report goes ({@code --out})
 * @param work where logs, the T1 corpus and scratch files go ({@code --work})
 * @param machine the JDKs, Python and the machine's figures
 * @param classpath this JVM's class path, the one every JVM child gets (agent rows excepted)
 * @param pythonScript asyncio's workloads ({@code bench.pythonScript})
 * @param echoScript asyncio's echo ({@code bench.echoScript})
 * @param agentJar the coroutine agent's jar ({@code bench.agentJar})
 * @param plainClasses javac's output of our workloads before the plugin ({@code
 *     bench.plainClasses})
 * @param t2Jars the jars T2 loads ({@code bench.t2Jars})
 */
record RunSetup(
    RunSizes sizes,
    Set<String> only,
    Path out,
    Path work,
    Machine machine,
    String classpath,
    String pythonScript,
    String echoScript,
    String agentJar,
    String plainClasses,
    List<String> t2Jars) {

  /** Whether the part {@code id} runs. */
  boolean wanted(String id) {
    return only.isEmpty() || only.contains(id);
  }
}
