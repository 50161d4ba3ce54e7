// The packaged multi-release jar runs on the JDK of the build (17 or later), which loads the
// META-INF/versions/17 classes, and the base classes run from target/classes (a plain folder, where
// versions/ means nothing): each was rewritten against the hierarchy its own release sees. Then the
// agent (on a multi-release jar of the compiled classes, and on the plain folder) and the javac
// plugin (base sources, then versioned sources over the base classes, as maven-compiler-plugin
// compiles them) give the same bytes as the Maven plugin, base and versioned classes alike.
import java.nio.file.Files
import java.util.jar.Attributes
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream
import java.util.jar.Manifest

def repo = new File(localRepositoryPath, 'dev/coroutine')
def agent = new File(repo, "coroutine-agent/${coroutineVersion}/coroutine-agent-${coroutineVersion}.jar")
def runtime = new File(repo, "coroutine-runtime/${coroutineVersion}/coroutine-runtime-${coroutineVersion}.jar")
assert agent.isFile() : agent
assert runtime.isFile() : runtime
def javaHome = System.getProperty('java.home')
def sep = File.pathSeparator

def run = { List cmd ->
  def proc = new ProcessBuilder(cmd.collect { it.toString() }).redirectErrorStream(true).start()
  def out = proc.inputStream.text
  proc.waitFor()
  println out
  assert proc.exitValue() == 0 : out
  out
}
def sameBytes = { File actual, File expected, String what ->
  assert expected.isFile() : "${what}: no ${expected}"
  assert Arrays.equals(actual.bytes, expected.bytes) : "${what}: ${actual} differs from ${expected}"
}

def log = new File(basedir, 'build.log').text
assert log.contains('coroutine: target/classes: 13 classes scanned (0 unchanged since the last run), 2 classes rewritten (2 methods), 0 refused')

def classes = new File(basedir, 'target/classes')
def versioned = new File(classes, 'META-INF/versions/17')
def jar = new File(basedir, 'target/it-multi-release-1.0.jar')
assert jar.isFile()

def java = new File(javaHome, 'bin/java').path
def out = run([java, '-cp', "${jar}${sep}${runtime}", 'com.example.Main'])
assert out.contains(': v17:A2X') : out
out = run([java, '-cp', "${classes}${sep}${runtime}", 'com.example.Main'])
assert out.contains(': base:A1') : out

// the agent: on a multi-release jar of the compiled classes (versions/17 loaded), then on the folder
def raw = new File(basedir, 'target/raw-classes')
def rawJar = new File(basedir, 'target/raw-multi-release.jar')
def manifest = new Manifest()
manifest.mainAttributes[Attributes.Name.MANIFEST_VERSION] = '1.0'
manifest.mainAttributes[Attributes.Name.MULTI_RELEASE] = 'true'
new JarOutputStream(new FileOutputStream(rawJar), manifest).withCloseable { jos ->
  raw.eachFileRecurse { File f ->
    if (!f.isFile()) return
    jos.putNextEntry(new JarEntry(raw.toPath().relativize(f.toPath()).toString().replace('\\', '/')))
    jos.write(f.bytes)
    jos.closeEntry()
  }
}
def dumpVersioned = new File(basedir, 'target/agent-dump-versioned')
out = run([java, "-javaagent:${agent}=dump=${dumpVersioned}", '-cp', "${rawJar}${sep}${runtime}", 'com.example.Main'])
assert out.contains(': v17:A2X') : out
assert !out.contains('[coroutine-agent]') : out
sameBytes(new File(versioned, 'com/example/Shapes.class'),
    new File(dumpVersioned, 'after/com/example/Shapes.class'), 'versioned Shapes, plugin vs agent')
def dumpBase = new File(basedir, 'target/agent-dump-base')
out = run([java, "-javaagent:${agent}=dump=${dumpBase}", '-cp', "${raw}${sep}${runtime}", 'com.example.Main'])
assert out.contains(': base:A1') : out
sameBytes(new File(classes, 'com/example/Shapes.class'),
    new File(dumpBase, 'after/com/example/Shapes.class'), 'base Shapes, plugin vs agent')

// the javac plugin, with the options maven-compiler-plugin used (-g, release 17)
def javac = new File(javaHome, 'bin/javac').path
def sources = { String dir ->
  def list = []
  new File(basedir, dir).eachFileRecurse { if (it.name.endsWith('.java')) list << it.path }
  list
}
def javacBase = new File(basedir, 'target/javac-plugin-classes')
def javacVersioned = new File(basedir, 'target/javac-plugin-classes-17')
javacBase.mkdirs()
javacVersioned.mkdirs()
def javacOptions = ['-g', '--release', '17', '-encoding', 'UTF-8', '-processorpath', agent.path, '-Xplugin:Coroutine']
run([javac] + javacOptions + ['-cp', runtime.path, '-d', javacBase.path] + sources('src/main/java'))
run([javac] + javacOptions + ['-cp', "${javacBase}${sep}${runtime}", '-d', javacVersioned.path] + sources('src/main/java17'))
int compared = 0
classes.eachFileRecurse { File f ->
  if (!f.name.endsWith('.class')) return
  def rel = classes.toPath().relativize(f.toPath()).toString().replace('\\', '/')
  def fromJavac = rel.startsWith('META-INF/versions/17/')
      ? new File(javacVersioned, rel.substring('META-INF/versions/17/'.length()))
      : new File(javacBase, rel)
  sameBytes(f, fromJavac, "${rel}, Maven plugin vs javac plugin")
  compared++
}
assert compared == 13 : compared
true
