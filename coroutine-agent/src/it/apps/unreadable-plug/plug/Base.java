package plug;

/** A supertype defined from bytes: its class file is no resource of any loader. */
public class Base {}
