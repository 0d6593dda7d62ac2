/*
 * kubepods.h - where memctl's pods live in cgroup v2, and reading them
 * back: the kubelet's cgroupfs-driver layout, the list of pods and their
 * containers, their processes, usage and requests.
 *
 *   ROOT/kubepods/                      memory.min = sum of the children's (MemoryQoS)
 *     pod-NAME/main                     Guaranteed pods
 *     burstable/pod-NAME/main           Burstable pods
 *     besteffort/pod-NAME/main          BestEffort pods
 *
 * Why a header of its own: `memctl run` makes this tree, `memctl top` and
 * `memctl evict` walk it, and all three must agree on it. Paths are given
 * relative to kp_root (the cgroup v2 mount, /sys/fs/cgroup, or a plain
 * directory standing in for it in the host test). Prints nothing.
 */
#ifndef USER_KUBEPODS_H
#define USER_KUBEPODS_H

#include <dirent.h>
#include <stdbool.h>
#include <signal.h>
#include <unistd.h>

#include "cgfile.h"
#include "k8s_qos.h"

#define KP_DEFAULT_ROOT "/sys/fs/cgroup"
#define KP_PATH_LEN 512
#define KP_MAX_PODS 64
#define KP_MAX_PIDS 64

/* The directory every path is relative to; the program sets it once. */
static const char *kp_root = KP_DEFAULT_ROOT;

/* A pod group found under kubepods. */
struct kp_pod {
	char dir[KP_PATH_LEN];          /* relative to kp_root: /kubepods/burstable/pod-x */
	enum k8s_qos qos;
	int64_t usage, request;
	pid_t pids[KP_MAX_PIDS];
	int npids;
};

/* path = kp_root + dir (+ "/" + file, if file is not NULL). A path too
 * long for KP_PATH_LEN comes out "", which no open or mkdir accepts. */
static inline void
kp_path(char *path, const char *dir, const char *file)
{
	if (snprintf(path, KP_PATH_LEN, "%s%s%s%s", kp_root, dir, file ? "/" : "",
		     file ? file : "") >= KP_PATH_LEN)
		path[0] = '\0';
}

/* The QoS level a class's pods go in: "/kubepods" for Guaranteed. */
static inline const char *
kp_qos_dir(enum k8s_qos qos)
{
	return qos == K8S_GUARANTEED ? "/kubepods" :
	       qos == K8S_BURSTABLE ? "/kubepods/burstable" : "/kubepods/besteffort";
}

/*
 * Removes the group dir. Returns 0 or -errno of rmdir. In a fake root the
 * knobs are plain files that must go first; cgroupfs removes its own.
 */
static inline int
kp_remove_group(const char *dir)
{
	char path[KP_PATH_LEN], file[KP_PATH_LEN * 2];
	struct dirent *e;
	DIR *d;

	kp_path(path, dir, NULL);
	if (strcmp(kp_root, KP_DEFAULT_ROOT) != 0 && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
			if (e->d_name[0] != '.')
				unlink(file);
		}
		closedir(d);
	}
	return rmdir(path) == 0 ? 0 : -errno;
}

/* Does group dir have subgroups (directories other than . and ..)? */
static inline bool
kp_has_subgroups(const char *dir)
{
	char path[KP_PATH_LEN];
	struct dirent *e;
	bool found = false;
	DIR *d;

	kp_path(path, dir, NULL);
	if ((d = opendir(path)) == NULL)
		return false;
	while (!found && (e = readdir(d)) != NULL)
		found = e->d_type == DT_DIR && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return found;
}

/* Removes group dir if no pod is left in it (the kubelet would keep it; memctl tidies up). */
static inline void
kp_remove_if_unused(const char *dir)
{
	if (!kp_has_subgroups(dir))
		kp_remove_group(dir);
}

static inline int
kp_compare_names(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/*
 * The subgroups of dir whose names start with prefix, as paths relative
 * to kp_root in out[], sorted (readdir's order is the file system's, and
 * top's lines should not move). Returns how many, at most max.
 */
static inline int
kp_list_groups(const char *dir, const char *prefix, char out[][KP_PATH_LEN], int max)
{
	char path[KP_PATH_LEN];
	struct dirent *e;
	DIR *d, *sub;
	int n = 0;

	kp_path(path, dir, NULL);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && n < max) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(out[n], KP_PATH_LEN, "%.300s/%.200s", dir, e->d_name);
		kp_path(path, out[n], NULL);
		if ((sub = opendir(path)) != NULL) {        /* a group, not a knob */
			closedir(sub);
			n++;
		}
	}
	closedir(d);
	qsort(out, (size_t)n, KP_PATH_LEN, kp_compare_names);
	return n;
}

/* Every pod group, Guaranteed ones first, then each QoS level's; fills in
 * dir and qos only. Returns how many. */
static inline int
kp_list_pods(struct kp_pod *pods)
{
	static const enum k8s_qos classes[] = { K8S_GUARANTEED, K8S_BURSTABLE, K8S_BEST_EFFORT };
	static char dirs[KP_MAX_PODS][KP_PATH_LEN];
	int n = 0;

	for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		int k = kp_list_groups(kp_qos_dir(classes[c]), "pod-", dirs, KP_MAX_PODS - n);
		for (int i = 0; i < k; i++, n++) {
			memset(&pods[n], 0, sizeof(pods[n]));
			memcpy(pods[n].dir, dirs[i], KP_PATH_LEN);
			pods[n].qos = classes[c];
		}
	}
	return n;
}

/* The pod's name: its directory's, without "pod-". */
static inline const char *
kp_pod_name(const struct kp_pod *pod)
{
	return strrchr(pod->dir, '/') + strlen("/pod-");
}

/* Adds the pids of dir's cgroup.procs to pod. Only real pids count: a
 * kill(0) or kill(-1) would reach far more than this pod. */
static inline void
kp_read_pids(const char *dir, struct kp_pod *pod)
{
	char path[KP_PATH_LEN], buf[1024], *p = buf, *end;
	long pid;

	kp_path(path, dir, "cgroup.procs");
	cg_read(path, buf, sizeof(buf));
	for (;;) {
		pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 1 && pid != getpid() && pod->npids < KP_MAX_PIDS)
			pod->pids[pod->npids++] = (pid_t)pid;
		p = end;
	}
}

/*
 * Fills in a pod's processes (its containers' cgroup.procs), usage (the
 * pod group's memory.current) and request. The kubelet reads requests
 * from the pod spec, which pagoda has nowhere to keep: a Guaranteed pod's
 * is its memory.max, a BestEffort one's 0, and a Burstable one's comes
 * back from the oom_score_adj `memctl run` gave its processes
 * (k8s_request_from_adj: exact to capacity / 1000).
 */
static inline void
kp_measure_pod(struct kp_pod *pod, int64_t capacity)
{
	static char containers[KP_MAX_PODS][KP_PATH_LEN];
	char path[KP_PATH_LEN];
	int k = kp_list_groups(pod->dir, "", containers, KP_MAX_PODS);
	int64_t adj = 0;

	for (int c = 0; c < k; c++)
		kp_read_pids(containers[c], pod);
	kp_path(path, pod->dir, "memory.current");
	if (cg_read_value(path, &pod->usage) < 0)
		pod->usage = 0;
	pod->request = 0;
	if (pod->qos == K8S_GUARANTEED) {
		kp_path(path, pod->dir, "memory.max");
		if (cg_read_value(path, &pod->request) < 0 || pod->request == CG_MAX)
			pod->request = 0;
	} else if (pod->qos == K8S_BURSTABLE && pod->npids > 0) {
		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pod->pids[0]);
		if (cg_read_value(path, &adj) == 0)
			pod->request = k8s_request_from_adj((int)adj, capacity);
	}
}

#endif
