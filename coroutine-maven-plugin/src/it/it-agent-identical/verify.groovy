// Runs the compiled (not instrumented) classes with -javaagent:...=dump=..., then compares every
// class the agent rewrote with what the plugin wrote to target/classes, byte for byte; then compiles
// the same sources with javac -Xplugin:Coroutine (the agent jar on the processor path) and compares
// those classes with the plugin's too: the three ways give the same bytes.
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

// the javac plugin: the same sources, with the options maven-compiler-plugin used (-g, release 17)
def javacOut = new File(basedir, 'target/javac-plugin-classes')
javacOut.mkdirs()
def sources = []
new File(basedir, 'src/main/java').eachFileRecurse { if (it.name.endsWith('.java')) sources << it.path }
def javac = new File(System.getProperty('java.home'), 'bin/javac').path
def javacCmd = [javac, '-g', '--release', '17', '-encoding', 'UTF-8',
                '-processorpath', agent.path, '-Xplugin:Coroutine',
                '-cp', runtime.path, '-d', javacOut.path] + sources
def jp = new ProcessBuilder(javacCmd.collect { it.toString() }).redirectErrorStream(true).start()
def javacLog = jp.inputStream.text
jp.waitFor()
assert jp.exitValue() == 0 : javacLog
int compared = 0
plugin.eachFileRecurse { File f ->
  if (!f.name.endsWith('.class')) return
  def rel = plugin.toPath().relativize(f.toPath()).toString()
  def fromJavac = new File(javacOut, rel)
  assert fromJavac.isFile() : "javac -Xplugin:Coroutine wrote no ${rel}"
  assert Arrays.equals(Files.readAllBytes(f.toPath()), Files.readAllBytes(fromJavac.toPath())) :
      "${rel}: the javac plugin's bytes differ from the Maven plugin's"
  compared++
}
assert compared >= 2 : compared
true
