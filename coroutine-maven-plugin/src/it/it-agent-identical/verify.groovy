// Runs the compiled (not instrumented) classes with -javaagent:...=dump=..., then compares every
// class the agent rewrote with what the plugin wrote to target/classes, byte for byte.
import java.nio.file.Files

def repo = new File(localRepositoryPath, 'dev/coroutine')
def agent = new File(repo, "coroutine-agent/${coroutineVersion}/coroutine-agent-${coroutineVersion}.jar")
def runtime = new File(repo, "coroutine-runtime/${coroutineVersion}/coroutine-runtime-${coroutineVersion}.jar")
assert agent.isFile() : agent
assert runtime.isFile() : runtime

def raw = new File(basedir, 'target/raw-classes')
def plugin = new File(basedir, 'target/classes')
def dump = new File(basedir, 'target/agent-dump')
def java = new File(System.getProperty('java.home'), 'bin/java').path
def cmd = [java, "-javaagent:${agent}=dump=${dump}", '-cp', "${raw}${File.pathSeparator}${runtime}", 'com.example.Main']
def proc = new ProcessBuilder(cmd.collect { it.toString() }).redirectErrorStream(true).start()
def out = proc.inputStream.text
proc.waitFor()
println out
assert proc.exitValue() == 0 : out
assert out.contains('add(1, 2) = 3') : out
assert out.contains('describe = 2:6 4:12') : out
assert !out.contains('[coroutine-agent]') : out

int rewritten = 0
plugin.eachFileRecurse { File f ->
  if (!f.name.endsWith('.class')) return
  def rel = plugin.toPath().relativize(f.toPath()).toString()
  def after = new File(dump, "after/${rel}")
  def expected = after.isFile() ? after : new File(raw, rel)
  if (after.isFile()) rewritten++
  assert Arrays.equals(Files.readAllBytes(f.toPath()), Files.readAllBytes(expected.toPath())) :
      "${rel}: the plugin's bytes differ from the agent's (${expected})"
}
assert rewritten == 1 : "expected the agent to rewrite Calc, dump has ${rewritten}"
true
