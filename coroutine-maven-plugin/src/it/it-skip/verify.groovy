def log = new File(basedir, "build.log").text
def marked = { String path ->
  new String(new File(basedir, path).bytes, "ISO-8859-1").contains("dev.coroutine.Instrumented")
}
def misuseLine = { String source ->
  def lines = new File(basedir, source).readLines()
  lines.findIndexOf { it.contains("// MISUSE") } + 1
}

assert log.contains("coroutine: skipped (coroutine.skip)")
assert !log.contains("coroutine: target/classes:")
assert !marked("target/classes/com/example/Good.class")
assert !new File(basedir, "target/coroutine-maven-plugin").exists()
true
