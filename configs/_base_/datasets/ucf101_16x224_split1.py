# UCF101 split 1, 16 frames at 224^2 (InTI, Appendix A), with the
# Kinetics-400 (ViFi-CLIP) pipeline; 101 classes. Labels count from 0, as in
# the lists of MMAction2's tools/data/ucf101/generate_videos_filelist.sh
# (the official trainlist0N.txt counts from 1 and is refused).
_base_ = ['./k400_16x224_vifi-clip.py']
num_classes = 101
data_root = 'data/ucf101/videos'
ann_file_train = 'data/ucf101/ucf101_train_split_1_videos.txt'
ann_file_val = 'data/ucf101/ucf101_val_split_1_videos.txt'
train_dataloader = dict(
    dataset=dict(
        num_classes=num_classes,
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root)))
val_dataloader = dict(
    dataset=dict(
        num_classes=num_classes,
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root)))
test_dataloader = dict(
    dataset=dict(
        num_classes=num_classes,
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root)))
