// Package fixed is moby/moby#4951 as fixed: the global lock is always
// taken first, the device lock second.
package fixed

import "sync"

type DevInfo struct {
	lock        sync.Mutex
	Hash        string
	mountCount  int
	TransientID int
}

type DeviceSet struct {
	sync.Mutex
	Devices    map[string]*DevInfo
	nextFreeID int
}

func (devices *DeviceSet) DeleteDevice(hash string) {
	devices.Lock()
	defer devices.Unlock()
	info := devices.Devices[hash]
	if info == nil {
		return
	}
	info.lock.Lock()
	defer info.lock.Unlock()
	delete(devices.Devices, hash)
}

func (devices *DeviceSet) AddDevice(hash, baseHash string) {
	devices.Lock()
	defer devices.Unlock()
	baseInfo := devices.Devices[baseHash]
	if baseInfo == nil {
		return
	}
	baseInfo.lock.Lock()
	defer baseInfo.lock.Unlock()
	devices.nextFreeID++
	devices.Devices[hash] = &DevInfo{Hash: hash, TransientID: devices.nextFreeID}
}
