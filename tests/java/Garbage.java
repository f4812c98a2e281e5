/*
 * memtop's JVM test subject: allocates about MiB (first argument, 600 by
 * default) of long[16] arrays, drops them all, prints "ready" and idles. The
 * garbage stays in the heap until a GC runs (the heap is big enough that
 * none runs on its own once the allocation ended). A second argument
 * "threads" also starts 20 idle threads.
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
		for (;;)
			Thread.sleep(1000000);
	}
}
