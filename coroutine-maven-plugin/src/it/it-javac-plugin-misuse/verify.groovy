def log = new File(basedir, 'build.log').text
def line = new File(basedir, 'src/main/java/com/example/Foo.java').readLines().findIndexOf { it.contains('// MISUSE') } + 1
assert line == 8
// javac's own error format: the IDE and the build log link it to the line
assert log =~ /Foo\.java:\[${line},\d+\] await\(\) in Foo\.notAsync, which is not @Async/
assert log.contains('COMPILATION ERROR')
true
