import java.util.zip.ZipFile

def first = new File(basedir, 'target/first/it-reproducible-1.0.jar')
def second = new File(basedir, 'target/second/it-reproducible-1.0.jar')
assert first.isFile() && second.isFile()
// the second build ran seconds after the first, in a separate Maven: a build time anywhere in
// the jar (entry dates, manifest) or an unstable order in the transformer's output would differ
assert second.lastModified() - first.lastModified() >= 1000 : 'the builds were not seconds apart'
assert Arrays.equals(first.bytes, second.bytes) : 'the two builds gave different jars'

def zip = new ZipFile(first)
try {
  def good = zip.getEntry('com/example/Good.class')
  assert good != null
  def bytes = zip.getInputStream(good).bytes
  assert new String(bytes, 'ISO-8859-1').contains('dev.coroutine.Instrumented') : 'Good was not rewritten'
  def stamp = java.time.Instant.parse('2026-01-01T00:00:00Z').toEpochMilli()
  zip.entries().each { assert Math.abs(it.time - stamp) <= 2000 : "${it.name} is dated ${new Date(it.time)}" }
} finally {
  zip.close()
}
true
