// This project's pom.xml is the "complete minimal pom.xml" of the README, character for character;
// building it here keeps the README true.
def readme = new File(repositoryRoot, 'README.md').text
def start = readme.indexOf('```xml\n<?xml')
assert start >= 0 : 'README.md has no complete pom.xml block (```xml starting with <?xml)'
def end = readme.indexOf('```', start + 6)
def shown = readme.substring(start + '```xml\n'.length(), end)
def pom = new File(basedir, 'pom.xml').text
assert shown == pom : "README.md's pom.xml differs from src/it/it-readme-pom/pom.xml; keep them equal"
assert pom.contains("<coroutine.version>${coroutineVersion}</coroutine.version>") : "the README's pom.xml must use this build's version ${coroutineVersion}"

def log = new File(basedir, 'build.log').text
assert log.contains('coroutine: target/classes: 1 class scanned (0 unchanged since the last run), 1 class rewritten (2 methods), 0 refused')
assert log.contains('coroutine: target/test-classes: 1 class scanned (0 unchanged since the last run), 1 class rewritten (1 method), 0 refused')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
true
