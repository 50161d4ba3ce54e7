def log = new File(basedir, "build.log").text
def marked = { String path ->
  new String(new File(basedir, path).bytes, "ISO-8859-1").contains("dev.coroutine.Instrumented")
}
def misuseLine = { String source ->
  def lines = new File(basedir, source).readLines()
  lines.findIndexOf { it.contains("// MISUSE") } + 1
}

def summaries = log.readLines().findAll { it.contains("coroutine: target/classes:") }
assert summaries.size() == 2 : summaries
assert summaries[0].contains("2 classes scanned (0 unchanged since the last run), 1 class rewritten (1 method), 0 refused")
assert summaries[1].contains("2 classes scanned (2 unchanged since the last run), 0 classes rewritten (0 methods), 0 refused")
assert marked("target/classes/com/example/Good.class")
assert new File(basedir, "target/coroutine-maven-plugin/instrument.state").isFile()
true
