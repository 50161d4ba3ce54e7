def log = new File(basedir, "build.log").text
def marked = { String path ->
  new String(new File(basedir, path).bytes, "ISO-8859-1").contains("dev.coroutine.Instrumented")
}
def misuseLine = { String source ->
  def lines = new File(basedir, source).readLines()
  lines.findIndexOf { it.contains("// MISUSE") } + 1
}

def line = misuseLine("src/main/java/com/example/Bad.java")
assert log.contains("[WARNING] Bad.java:${line}: ")
assert !log.contains("[ERROR] Bad.java")
assert log.contains("coroutine: target/classes: 2 classes scanned (0 unchanged since the last run), 1 class rewritten (1 method), 1 refused")
assert log.contains("BUILD SUCCESS")
assert marked("target/classes/com/example/Good.class")
assert !marked("target/classes/com/example/Bad.class")
true
