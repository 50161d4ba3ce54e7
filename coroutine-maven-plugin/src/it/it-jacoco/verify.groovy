// JaCoCo's report must count the lines of the rewritten @Async methods: every line of Orders.java
// marked "// c" covered, no line of the class missed, and each coroutine's lines under the body
// method the transformer made (a synthetic body is dropped by JaCoCo: 6 of 49 lines reported).
// No line is partly covered: the copies javac makes of a finally block holding an await stay
// copies JaCoCo recognizes once rewritten (found from outside: the copy on the exception path,
// never run, made the await's line partly covered and added the block's closing brace).
import javax.xml.parsers.DocumentBuilderFactory

def log = new File(basedir, 'build.log').text
assert log.contains('coroutine: target/classes: 1 class scanned (0 unchanged since the last run), 1 class rewritten (5 methods), 0 refused')
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0')

def source = new File(basedir, 'src/main/java/com/example/Orders.java').readLines()
def marked = (1..source.size()).findAll { source[it - 1].contains('// c') } as Set
assert marked.size() == 36 : marked.size()

def xml = new File(basedir, 'target/site/jacoco/jacoco.xml')
assert xml.isFile() : 'no JaCoCo report'
def factory = DocumentBuilderFactory.newInstance()
factory.setFeature('http://apache.org/xml/features/nonvalidating/load-external-dtd', false)
def doc = factory.newDocumentBuilder().parse(xml)
def elements = { node, String tag -> def l = node.getElementsByTagName(tag); (0..<l.length).collect { l.item(it) } }
def children = { node, String tag -> elements(node, tag).findAll { it.parentNode.is(node) } }
def attr = { node, String name -> node.getAttribute(name) }

def file = elements(doc, 'sourcefile').find { attr(it, 'name') == 'Orders.java' }
assert file != null : 'Orders.java not in the report'
def lines = children(file, 'line').collectEntries { [(attr(it, 'nr').toInteger()): attr(it, 'ci').toInteger()] }
def missed = lines.findAll { nr, ci -> ci == 0 }.keySet()
assert missed.isEmpty() : "lines reported not covered: ${missed}"
def partly = children(file, 'line').findAll { attr(it, 'mi').toInteger() > 0 }.collect { attr(it, 'nr') }
assert partly.isEmpty() : "lines reported partly covered: ${partly}"
def unreported = marked - lines.keySet()
assert unreported.isEmpty() : "lines of @Async code missing from the report: ${unreported}"
def extra = lines.keySet() - marked
assert extra.isEmpty() : "lines reported that are not marked: ${extra}"

def lineCounter = { node -> children(node, 'counter').find { attr(it, 'type') == 'LINE' } }
def cls = elements(doc, 'class').find { attr(it, 'name') == 'com/example/Orders' }
def methods = children(cls, 'method')
def method = { String name, String desc -> methods.find { attr(it, 'name') == name && attr(it, 'desc') == desc } }
// the body method (the user's code) holds all 21 lines of process; the stub holds none
def body = method('process', '(Ldev/coroutine/AsyncFrame;)Ljava/lang/Object;')
assert body != null : 'no body method process(AsyncFrame) in the report'
assert attr(lineCounter(body), 'missed') == '0'
assert attr(lineCounter(body), 'covered') == '21'
def stub = method('process', '(Ljava/util/List;)Ldev/coroutine/Coroutine;')
assert stub != null
assert lineCounter(stub) == null || attr(lineCounter(stub), 'covered') == '0'
def classLines = lineCounter(cls)
assert attr(classLines, 'missed') == '0'
assert attr(classLines, 'covered') == String.valueOf(marked.size())
true
