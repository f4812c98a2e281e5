/*
 * memtop's JVM test subject (tests/integration/jvm.sh, tests/tui/jvm_tui.sh;
 * compiled with javac at test time): allocates about MiB (the first
 * argument, 600 by default) of long[16] arrays and drops them all, so the
 * heap is full of garbage no GC has collected yet, prints "ready" and
 * idles. A second argument "exit" makes it exit right after "ready" (a
 * short-lived JVM).
 */
public class Garbage {
	static volatile Object sink;

	public static void main(String[] args) throws Exception {
		long mib = args.length > 0 ? Long.parseLong(args[0]) : 600;
		long n = mib * 1024 * 1024 / 144;	/* long[16] + header */
		Object[] keep = new Object[1 << 16];

		for (long i = 0; i < n; i++)
			keep[(int)(i & 0xffff)] = new long[16];
		keep = null;
		sink = null;
		System.out.println("ready");
		System.out.flush();
		if (args.length > 1 && args[1].equals("exit"))
			return;
		for (;;)
			Thread.sleep(1000000);
	}
}
