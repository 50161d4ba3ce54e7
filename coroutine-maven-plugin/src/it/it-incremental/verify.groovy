def log = new File(basedir, "build.log").text
def good = new File(basedir, "target/classes/com/example/Good.class")
def text = { File f -> new String(f.bytes, "ISO-8859-1") }

def summaries = log.readLines().findAll { it.contains("coroutine: target/classes:") }
assert summaries.size() == 3 : summaries
assert summaries[0].contains("2 classes scanned (0 unchanged since the last run), 1 class rewritten (1 method), 0 refused")
// the file times were all reset before the second run: the content decides, nothing is rewritten
assert summaries[1].contains("2 classes scanned (2 unchanged since the last run), 0 classes rewritten (0 methods), 0 refused")
// after the edit, only Good (changed) is rewritten; Plain was recompiled to the same bytes
assert summaries[2].contains("2 classes scanned (1 unchanged since the last run), 1 class rewritten (1 method), 0 refused")
assert text(good).contains("dev.coroutine.Instrumented")
assert text(good).contains("edited ")
assert new File(basedir, "target/coroutine-maven-plugin/instrument.state").isFile()
true
