/*
 * The least time a copy of the benchmark's source can take on this
 * machine, whatever tool does it: `copy-floor [...] SOURCE TARGET` (the
 * last two arguments, so that it takes qemu-img's command line) copies a raw
 * image to a new raw file the way `convert -O raw` must (every 512-byte
 * sector looked at, runs of zeros left as holes), with nothing a real tool
 * needs in the way: no runtime to start, no image formats, no error
 * handling beyond giving up, and whole pieces written (a tool writes the
 * data runs between zero runs of 4 KiB or more). The source is mapped, not read, so its
 * bytes are never copied to a buffer; one thread scans while another
 * writes. Prints the milliseconds from opening the files to the last write.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

enum { PIECE = 2 << 20, SECTOR = 512, AHEAD = 8 };

struct piece {
  const uint8_t *map;
  size_t length;
  int data;
};

static int target;
static size_t pieces;
static struct piece *ring;
static size_t scanned, written;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int sector_is_zero(const uint8_t *p, size_t n) {
  uint64_t word;
  for (size_t at = 0; at < n; at += sizeof word) {
    memcpy(&word, p + at, sizeof word);
    if (word) return 0;
  }
  return 1;
}

static void *writer(void *unused) {
  (void)unused;
  for (size_t i = 0; i < pieces; i++) {
    while (__atomic_load_n(&scanned, __ATOMIC_ACQUIRE) <= i) sched_yield();
    struct piece *p = &ring[i % AHEAD];
    if (p->data && pwrite(target, p->map, p->length, (off_t)i * PIECE) != (ssize_t)p->length) exit(1);
    munmap((void *)p->map, p->length);
    __atomic_store_n(&written, i + 1, __ATOMIC_RELEASE);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  double start = now_ms();
  int source = open(argv[argc - 2], O_RDONLY);
  target = open(argv[argc - 1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  struct stat st;
  if (source < 0 || target < 0 || fstat(source, &st) != 0 || ftruncate(target, st.st_size) != 0) return 1;
  pieces = ((size_t)st.st_size + PIECE - 1) / PIECE;
  ring = calloc(AHEAD, sizeof *ring);
  pthread_t thread;
  pthread_create(&thread, NULL, writer, NULL);
  for (size_t i = 0; i < pieces; i++) {
    while (i - __atomic_load_n(&written, __ATOMIC_ACQUIRE) >= AHEAD) sched_yield();
    size_t length = (size_t)st.st_size - i * PIECE < PIECE ? (size_t)st.st_size - i * PIECE : PIECE;
    const uint8_t *map = mmap(NULL, length, PROT_READ, MAP_SHARED, source, (off_t)i * PIECE);
    if (map == MAP_FAILED) return 1;
    madvise((void *)map, length, MADV_POPULATE_READ);
    int data = 0;
    for (size_t at = 0; at < length; at += SECTOR) data |= !sector_is_zero(map + at, length - at < SECTOR ? length - at : SECTOR);
    ring[i % AHEAD] = (struct piece){map, length, data};
    __atomic_store_n(&scanned, i + 1, __ATOMIC_RELEASE);
  }
  pthread_join(thread, NULL);
  printf("%.3f\n", now_ms() - start);
  return 0;
}
