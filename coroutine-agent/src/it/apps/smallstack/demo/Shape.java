package demo;

public abstract class Shape {}
