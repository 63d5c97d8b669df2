// SPDX-License-Identifier: GPL-2.0
/*
 * sdmdev - Share Domain Mediated Device.
 *
 * A parent driver registers its hardware queues (sdmdev.h); each sdmdev
 * instance is a VFIO device that user space opens through the VFIO group
 * and container ioctls (sdmdev_vfio.c). The ABI is in
 * include/uapi/misc/sdmdev.h, docs/ABI/sysfs-bus-sdmdev and docs/sdmdev.md.
 *
 * This file holds the module entry points, the sdmdev bus and its driver,
 * parent registration and the sysfs interface:
 *   /sys/class/sdmdev/<parent>/	create, name, api, flags, ... (a class
 *					device, child of the parent's device)
 *   /sys/bus/sdmdev/devices/<uuid>	an instance: remove, api, flags
 * An instance is a real device on our own bus, bound to our own driver,
 * because the VFIO core pins dev->driver->owner at open and oopses on a
 * device without a driver; mdev does the same, and we cannot use mdev
 * (Debian's arm64 kernels do not export it).
 *
 * Locking:
 *   sdmdev_lock (global mutex) - instance names (unique on the bus),
 *	every parent's instance list and count, and inst->claimed. Adding
 *	and deleting instance devices happens under it; deleting an open
 *	instance waits there for user space to close it, as VFIO does.
 *   parent->lock (mutex) - who has the parent's instances open
 *	(nr_open, owner) and each instance's open/removing state. Nests
 *	inside sdmdev_lock; the VFIO open/close paths take only this one.
 *   Sysfs: unregistering a device waits for its attribute methods. Hence
 *	parents remove their class device before taking sdmdev_lock, and
 *	the instance's remove method breaks its own active reference
 *	(device_remove_file_self) before it takes sdmdev_lock.
 * An instance is deleted by exactly one path, the one that sets claimed
 * (remove attribute or parent unregistration), under sdmdev_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>

#include "wd_compat.h"
#include "sdmdev_internal.h"

static struct class *sdmdev_class;
static DEFINE_MUTEX(sdmdev_lock);

/* ---- bus and driver ------------------------------------------------------ */

/* Every device on our bus is an instance; binding registers its VFIO device. */
static int sdmdev_bus_probe(struct device *dev)
{
	return sdmdev_vfio_add(to_sdmdev_instance(dev));
}

static void sdmdev_bus_remove(struct device *dev)
{
	sdmdev_vfio_del(to_sdmdev_instance(dev));
}

static wd_bus_type sdmdev_bus = {
	.name = "sdmdev",
	.probe = sdmdev_bus_probe,
	.remove = sdmdev_bus_remove,
};

/* No match method: the bus binds every instance to this driver. */
static struct device_driver sdmdev_driver = {
	.name = "sdmdev",
	.bus = &sdmdev_bus,
	.owner = THIS_MODULE,
	/* An unbound instance would be a VFIO device nobody can open. */
	.suppress_bind_attrs = true,
};

/* ---- instances ----------------------------------------------------------- */

static void sdmdev_instance_release(struct device *dev)
{
	kfree(to_sdmdev_instance(dev));
}

/* Free queues the driver could still hand out, less closed instances. */
static unsigned int sdmdev_available(struct sdmdev_parent *parent,
				     unsigned int nr_instances)
{
	int free = parent->ops->available_instances ?
		   parent->ops->available_instances(parent) : 1;
	unsigned int closed;

	mutex_lock(&parent->lock);
	closed = nr_instances - parent->nr_open;
	mutex_unlock(&parent->lock);
	return free > closed ? free - closed : 0;
}

static ssize_t remove_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct sdmdev_instance *inst = to_sdmdev_instance(dev);
	struct sdmdev_parent *parent = inst->parent;
	bool val;
	int ret;

	ret = kstrtobool(buf, &val);
	if (ret || !val)
		return ret ?: -EINVAL;

	/* Refuse while open; once removing is set, opens fail. */
	mutex_lock(&parent->lock);
	ret = inst->open ? -EBUSY : inst->removing ? -ENODEV : 0;
	if (!ret)
		inst->removing = true;
	mutex_unlock(&parent->lock);
	if (ret)
		return ret;

	/* From here the parent may go away: touch only the instance. */
	get_device(dev);
	if (device_remove_file_self(dev, attr)) {
		mutex_lock(&sdmdev_lock);
		if (!inst->claimed) {
			inst->claimed = true;
			list_del_init(&inst->node);
			parent->nr_instances--;
			device_unregister(dev);
		}
		mutex_unlock(&sdmdev_lock);
	}
	put_device(dev);
	return count;
}
static DEVICE_ATTR_WO(remove);

static ssize_t api_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_sdmdev_instance(dev)->parent->api);
}
static DEVICE_ATTR_RO(api);

static u32 sdmdev_flags(struct sdmdev_parent *parent)
{
	u32 flags = parent->flags;

	if (!sdmdev_parent_has_iommu(parent))
		flags |= SDMDEV_FLAG_NOIOMMU;
	if (parent->ops->is_updated)
		flags |= SDMDEV_FLAG_WAIT;
	return flags;
}

static ssize_t flags_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%#x\n", sdmdev_flags(to_sdmdev_instance(dev)->parent));
}
static DEVICE_ATTR_RO(flags);

/* The owner's PID as the reader sees it; 0 when none or not visible. */
static pid_t sdmdev_owner_vnr(struct sdmdev_parent *parent)
{
	lockdep_assert_held(&parent->lock);
	return parent->nr_open ? pid_vnr(parent->owner) : 0;
}

/* Who has the instance open, for wd-admin: the parent's owner while open. */
static ssize_t owner_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct sdmdev_instance *inst = to_sdmdev_instance(dev);
	struct sdmdev_parent *parent = inst->parent;
	pid_t pid;

	mutex_lock(&parent->lock);
	pid = inst->open ? sdmdev_owner_vnr(parent) : 0;
	mutex_unlock(&parent->lock);
	return sysfs_emit(buf, "%d\n", pid);
}
static DEVICE_ATTR_RO(owner);

/* Whether a process has the instance open: what "free" means to libwd. */
static ssize_t open_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct sdmdev_instance *inst = to_sdmdev_instance(dev);
	bool open;

	mutex_lock(&inst->parent->lock);
	open = inst->open;
	mutex_unlock(&inst->parent->lock);
	return sysfs_emit(buf, "%d\n", open);
}
static DEVICE_ATTR_RO(open);

static ssize_t queue_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct sdmdev_instance *inst = to_sdmdev_instance(dev);
	struct sdmdev_parent *parent = inst->parent;
	ssize_t ret;

	mutex_lock(&parent->lock);
	if (inst->open)
		ret = sysfs_emit(buf, "%u\n", inst->queue_id);
	else
		ret = sysfs_emit(buf, "-1\n");
	mutex_unlock(&parent->lock);
	return ret;
}
static DEVICE_ATTR_RO(queue);

static ssize_t opens_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct sdmdev_instance *inst = to_sdmdev_instance(dev);
	unsigned long opens;

	mutex_lock(&inst->parent->lock);
	opens = inst->opens;
	mutex_unlock(&inst->parent->lock);
	return sysfs_emit(buf, "%lu\n", opens);
}
static DEVICE_ATTR_RO(opens);

static struct attribute *sdmdev_instance_attrs[] = {
	&dev_attr_remove.attr,
	&dev_attr_api.attr,
	&dev_attr_flags.attr,
	&dev_attr_open.attr,
	&dev_attr_owner.attr,
	&dev_attr_queue.attr,
	&dev_attr_opens.attr,
	NULL
};
ATTRIBUTE_GROUPS(sdmdev_instance);

/* Called with sdmdev_lock held. */
static int sdmdev_instance_add(struct sdmdev_parent *parent, const guid_t *uuid)
{
	struct sdmdev_instance *inst;
	char name[UUID_STRING_LEN + 1];
	struct device *other;
	int ret;

	lockdep_assert_held(&sdmdev_lock);
	snprintf(name, sizeof(name), "%pUl", uuid);
	/* A duplicate name would make device_add() dump a stack: check first. */
	other = bus_find_device_by_name(&sdmdev_bus, NULL, name);
	if (other) {
		put_device(other);
		return -EEXIST;
	}
	if (!sdmdev_available(parent, parent->nr_instances))
		return -ENOSPC;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return -ENOMEM;
	inst->parent = parent;
	INIT_LIST_HEAD(&inst->node);
	device_initialize(&inst->dev);
	inst->dev.bus = &sdmdev_bus;
	inst->dev.parent = parent->dev;
	inst->dev.groups = sdmdev_instance_groups;
	inst->dev.release = sdmdev_instance_release;
	ret = dev_set_name(&inst->dev, "%s", name);
	if (ret)
		goto err_put;
	ret = device_add(&inst->dev);
	if (ret)
		goto err_put;
	/* device_add() does not report a failed probe: no VFIO device, no instance. */
	if (!inst->vdev) {
		ret = -EIO;
		goto err_del;
	}
	list_add_tail(&inst->node, &parent->instances);
	parent->nr_instances++;
	return 0;

err_del:
	device_del(&inst->dev);
err_put:
	put_device(&inst->dev);
	return ret;
}

/* ---- parents ------------------------------------------------------------- */

static ssize_t create_store(struct device *cdev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct sdmdev_parent *parent = dev_get_drvdata(cdev);
	char str[UUID_STRING_LEN + 1];
	guid_t uuid;
	int ret;

	/* Exactly one UUID, optionally followed by a newline. */
	if (count < UUID_STRING_LEN ||
	    (count > UUID_STRING_LEN &&
	     (count != UUID_STRING_LEN + 1 || buf[UUID_STRING_LEN] != '\n')))
		return -EINVAL;
	memcpy(str, buf, UUID_STRING_LEN);
	str[UUID_STRING_LEN] = '\0';
	ret = guid_parse(str, &uuid);
	if (ret)
		return ret;

	mutex_lock(&sdmdev_lock);
	ret = sdmdev_instance_add(parent, &uuid);
	mutex_unlock(&sdmdev_lock);
	return ret ?: count;
}
static DEVICE_ATTR_WO(create);

static ssize_t name_show(struct device *cdev, struct device_attribute *attr, char *buf)
{
	struct sdmdev_parent *parent = dev_get_drvdata(cdev);

	return sysfs_emit(buf, "%s\n", parent->name);
}
static DEVICE_ATTR_RO(name);

static ssize_t parent_api_show(struct device *cdev, struct device_attribute *attr, char *buf)
{
	struct sdmdev_parent *parent = dev_get_drvdata(cdev);

	return sysfs_emit(buf, "%s\n", parent->api);
}

static ssize_t parent_flags_show(struct device *cdev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%#x\n", sdmdev_flags(dev_get_drvdata(cdev)));
}

/* The instance's api/flags attributes have the same names: spell these out. */
static struct device_attribute dev_attr_parent_api = __ATTR(api, 0444, parent_api_show, NULL);
static struct device_attribute dev_attr_parent_flags = __ATTR(flags, 0444, parent_flags_show, NULL);

static ssize_t available_instances_show(struct device *cdev, struct device_attribute *attr,
					char *buf)
{
	struct sdmdev_parent *parent = dev_get_drvdata(cdev);
	unsigned int n;

	mutex_lock(&sdmdev_lock);
	n = sdmdev_available(parent, parent->nr_instances);
	mutex_unlock(&sdmdev_lock);
	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(available_instances);

static ssize_t numa_node_show(struct device *cdev, struct device_attribute *attr, char *buf)
{
	struct sdmdev_parent *parent = dev_get_drvdata(cdev);

	return sysfs_emit(buf, "%d\n", dev_to_node(parent->dev));
}
static DEVICE_ATTR_RO(numa_node);

static ssize_t queues_show(struct device *cdev, struct device_attribute *attr, char *buf)
{
	struct sdmdev_parent *parent = dev_get_drvdata(cdev);

	return sysfs_emit(buf, "%u\n", parent->nr_queues);
}
static DEVICE_ATTR_RO(queues);

/* The driver's count: kernel users of the function take queues too. */
static ssize_t free_queues_show(struct device *cdev, struct device_attribute *attr, char *buf)
{
	struct sdmdev_parent *parent = dev_get_drvdata(cdev);
	int free = parent->ops->available_instances ?
		   parent->ops->available_instances(parent) : 1;

	return sysfs_emit(buf, "%d\n", max(free, 0));
}
static DEVICE_ATTR_RO(free_queues);

/* The process owning the parent's open instances (same name as the instance's). */
static ssize_t parent_owner_show(struct device *cdev, struct device_attribute *attr, char *buf)
{
	struct sdmdev_parent *parent = dev_get_drvdata(cdev);
	pid_t pid;

	mutex_lock(&parent->lock);
	pid = sdmdev_owner_vnr(parent);
	mutex_unlock(&parent->lock);
	return sysfs_emit(buf, "%d\n", pid);
}

static struct device_attribute dev_attr_parent_owner = __ATTR(owner, 0444, parent_owner_show, NULL);

#define SDMDEV_REGION_ATTR(attr_name, index)					\
static ssize_t attr_name##_show(struct device *cdev, struct device_attribute *attr,	\
				char *buf)						\
{										\
	struct sdmdev_parent *parent = dev_get_drvdata(cdev);			\
										\
	return sysfs_emit(buf, "%zu\n", parent->region_size[index]);		\
}										\
static DEVICE_ATTR_RO(attr_name)

SDMDEV_REGION_ATTR(mmio_size, SDMDEV_REGION_MMIO);
SDMDEV_REGION_ATTR(ring_size, SDMDEV_REGION_RING);
SDMDEV_REGION_ATTR(dma_size, SDMDEV_REGION_DMA);

static struct attribute *sdmdev_parent_attrs[] = {
	&dev_attr_create.attr,
	&dev_attr_name.attr,
	&dev_attr_parent_api.attr,
	&dev_attr_parent_flags.attr,
	&dev_attr_available_instances.attr,
	&dev_attr_numa_node.attr,
	&dev_attr_mmio_size.attr,
	&dev_attr_ring_size.attr,
	&dev_attr_dma_size.attr,
	&dev_attr_queues.attr,
	&dev_attr_free_queues.attr,
	&dev_attr_parent_owner.attr,
	NULL
};
ATTRIBUTE_GROUPS(sdmdev_parent);

static bool sdmdev_parent_valid(const struct sdmdev_parent *parent)
{
	const struct sdmdev_parent_ops *ops = parent->ops;

	return parent->dev && parent->dev->driver && parent->name && parent->api &&
	       strlen(parent->api) < sizeof_field(struct sdmdev_info, api) && ops &&
	       ops->get_queue && ops->put_queue && ops->start_queue && ops->stop_queue &&
	       ops->mmap;
}

/**
 * sdmdev_register_parent() - offer @parent's queues to user space
 * @parent: filled as sdmdev.h says; must stay put until unregistered
 *
 * Call it from the parent driver's probe, once the queues can be handed
 * out. Creates /sys/class/sdmdev/<dev_name(parent->dev)>.
 *
 * Return: 0 or a negative errno.
 */
int sdmdev_register_parent(struct sdmdev_parent *parent)
{
	struct device *cdev;

	if (!sdmdev_parent_valid(parent))
		return -EINVAL;
	mutex_init(&parent->lock);
	INIT_LIST_HEAD(&parent->instances);
	parent->nr_instances = 0;
	parent->nr_open = 0;
	parent->owner = NULL;
	sdmdev_iommu_init(parent);

	cdev = device_create_with_groups(sdmdev_class, parent->dev, MKDEV(0, 0), parent,
					 sdmdev_parent_groups, "%s", dev_name(parent->dev));
	if (IS_ERR(cdev)) {
		sdmdev_iommu_fini(parent);
		mutex_destroy(&parent->lock);
		return PTR_ERR(cdev);
	}
	parent->class_dev = cdev;
	return 0;
}
EXPORT_SYMBOL_GPL(sdmdev_register_parent);

/**
 * sdmdev_unregister_parent() - delete every instance of @parent
 * @parent: as registered
 *
 * Waits for user space to close open instances (VFIO's rule for deleting a
 * device); every queue has been stopped and put when this returns.
 */
void sdmdev_unregister_parent(struct sdmdev_parent *parent)
{
	struct sdmdev_instance *inst;

	/* First no more creates; waits for a running create (see the top). */
	device_unregister(parent->class_dev);
	parent->class_dev = NULL;

	mutex_lock(&sdmdev_lock);
	while ((inst = list_first_entry_or_null(&parent->instances,
						struct sdmdev_instance, node))) {
		inst->claimed = true;
		list_del_init(&inst->node);
		parent->nr_instances--;
		mutex_lock(&parent->lock);
		inst->removing = true;
		mutex_unlock(&parent->lock);
		device_unregister(&inst->dev);
	}
	mutex_unlock(&sdmdev_lock);
	sdmdev_iommu_fini(parent);
	mutex_destroy(&parent->lock);
}
EXPORT_SYMBOL_GPL(sdmdev_unregister_parent);

/* ---- module -------------------------------------------------------------- */

static int __init sdmdev_init(void)
{
	int ret;

	sdmdev_class = wd_class_create("sdmdev");
	if (IS_ERR(sdmdev_class))
		return PTR_ERR(sdmdev_class);
	ret = bus_register(&sdmdev_bus);
	if (ret)
		goto err_class;
	ret = driver_register(&sdmdev_driver);
	if (ret)
		goto err_bus;
	return 0;

err_bus:
	bus_unregister(&sdmdev_bus);
err_class:
	class_destroy(sdmdev_class);
	return ret;
}

/* Parents hold references on our symbols: none is left at exit. */
static void __exit sdmdev_exit(void)
{
	driver_unregister(&sdmdev_driver);
	bus_unregister(&sdmdev_bus);
	class_destroy(sdmdev_class);
}

module_init(sdmdev_init);
module_exit(sdmdev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Share Domain Mediated Device: user-space accelerator queues over VFIO");
